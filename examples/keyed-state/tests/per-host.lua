-- Tests of the keyed-state pipeline: run them with
--   scripts/dragonfly-mle test -r examples/keyed-state
-- The analyzer "per-host" has key="src_ip", so dragonfly.state is kept per source address:
-- expect.state names the stage, then the key, then the names stored under it.
return {
  {
    name = "counts events per src_ip in dragonfly.state",
    events = {
      { event_type = "dns", src_ip = "10.0.0.1" },
      { event_type = "flow", src_ip = "10.0.0.2" },
      { event_type = "http", src_ip = "10.0.0.1" },
      { event_type = "stats" },                      -- no src_ip: the empty key
    },
    expect = {
      outputs = {
        events = {
          { src_ip = "10.0.0.1", host_events = 1 },
          { src_ip = "10.0.0.2", host_events = 1 },
          { src_ip = "10.0.0.1", host_events = 2 },
          { event_type = "stats", host_events = 1 },
        },
      },
      state = {
        ["per-host"] = {
          ["10.0.0.1"] = { events = 2 },
          ["10.0.0.2"] = { events = 1 },
          [""] = { events = 1 },
          ["10.0.0.3"] = ABSENT,                     -- never seen: no state at all
        },
      },
    },
  },
}
