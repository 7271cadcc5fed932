-- Passthrough: what comes in leaves unchanged, numbers and nesting included.
--   scripts/dragonfly-mle test -r examples/passthrough
return {
  name = "every event leaves exactly as it came in",
  events_file = "../../data/eve-sample.jsonl",   -- relative to this file
  expect = {
    outputs = {
      out = {
        count = 1090,
        contains = {
          { event_type = "fileinfo", fileinfo = { filename = "eicar.txt", size = 136 } },
        },
        none = { { event_type = ABSENT } },
      },
    },
  },
}
