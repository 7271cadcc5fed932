-- Input filter: DNS events that name something go to the DGA analyzer; every other event is
-- dropped (this example is about DNS names only).
function setup()
end

function loop(msg)
  if msg.event_type == "dns" and type(msg.dns) == "table" and type(msg.dns.rrname) == "string" then
    dragonfly.analyze_event(default_analyzer, msg)
  end
end
