-- Input filter: pass on every event that has an event_type.
function setup()
end

function loop(msg)
  if msg.event_type then
    dragonfly.analyze_event(default_analyzer, msg)
  end
end
