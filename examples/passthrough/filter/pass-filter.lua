function setup()
end

function loop(msg)
  dragonfly.analyze_event(default_analyzer, msg)
end
