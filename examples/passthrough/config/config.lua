-- Passthrough: filter -> analyzer -> file, no script looks inside nested objects, so every
-- event leaves exactly as it came in. Used by the golden round-trip test and the benchmark.
inputs = {
  { tag="eve", uri="file://../data/eve-sample.jsonl", script="pass-filter.lua",
    default_analyzer="pass" },
}

analyzers = {
  { tag="pass", script="pass.lua", default_analyzer="", default_output="out" },
}

outputs = {
  { tag="out", uri="file://passthrough.json" },
}
