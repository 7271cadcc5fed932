-- Keyed state: events per source address counted exactly once in dragonfly.state (Flink keyed
-- state, checkpointed with the stream; no Redis), two instances, each src_ip handled in order
-- by one of them. Every event goes out with its running count.
inputs = {
  { tag="eve", uri="file://../data/eve-sample.jsonl", script="eve-filter.lua",
    default_analyzer="per-host" },
}

analyzers = {
  { tag="per-host", script="per-host.lua", key="src_ip", parallelism=2,
    default_analyzer="", default_output="events" },
}

outputs = {
  { tag="events", uri="file://keyed-state-events.json" },
}
