-- Hello world: every Suricata event goes through a filter to an analyzer that counts
-- events per event_type in Redis (one INCR per event) and writes the event to a file.
redis_host = "127.0.0.1"
redis_port = "6379"

inputs = {
  { tag="eve", uri="file://../data/eve-sample.jsonl", script="eve-filter.lua",
    default_analyzer="counter" },
}

analyzers = {
  { tag="counter", script="event-type-counter.lua", default_analyzer="",
    default_output="events" },
}

outputs = {
  { tag="events", uri="file://hello-world-events.json" },
}
