-- Every event goes on; those without a source address share the empty key.
function loop(msg)
  dragonfly.analyze_event(default_analyzer, msg)
end
