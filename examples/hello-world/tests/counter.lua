-- Tests of the hello-world pipeline: run them with
--   scripts/dragonfly-mle test -r examples/hello-world
-- Events enter the input "eve" (the first input, so no start= needed), pass the filter
-- and reach the analyzer "counter", which counts them in Redis and writes them to "events".
return {
  {
    name = "counts events per event_type and forwards them unchanged",
    redis = { ["dragonfly:event_type:dns"] = 41 },   -- Redis before the scripts start
    events = {
      { event_type = "dns", src_ip = "10.0.0.1", dns = { rrname = "example.com" } },
      { event_type = "alert", src_ip = "10.0.0.2" },
      { event_type = "dns", src_ip = "10.0.0.3" },
    },
    expect = {
      outputs = {
        events = {                       -- exactly these three, in this order
          { event_type = "dns", dns = { rrname = "example.com" } },
          { event_type = "alert", src_ip = "10.0.0.2" },
          { event_type = "dns", dns = ABSENT },
        },
      },
      redis = {
        ["dragonfly:event_type:dns"] = "43",
        ["dragonfly:event_type:alert"] = "1",
        ["dragonfly:event_type:flow"] = ABSENT,
      },
    },
  },
  {
    name = "the filter drops events without event_type",
    events = {
      { src_ip = "10.0.0.9" },
      '{"event_type":"flow","flow_id":2090564295433925}',   -- a JSON line, exactly as in eve.json
    },
    expect = {
      analyzers = { counter = { count = 1 } },
      outputs = { events = { { event_type = "flow", flow_id = 2090564295433925 } } },
    },
  },
  {
    name = "a malformed line goes to the error output, the next one still counts",
    events_file = "data/two-lines.jsonl",
    expect = {
      errors = { { reason = "malformed_json", tag = "eve" } },
      outputs = { events = { count = 1, contains = { { event_type = "http" } } } },
      redis = { ["dragonfly:event_type:http"] = "1" },
    },
  },
}
