-- Counts events per src_ip in dragonfly.state and adds the count to the event.
function loop(msg)
  msg.host_events = dragonfly.state.incr("events")
  dragonfly.output_event(default_output, msg)
end
