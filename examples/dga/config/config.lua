-- DGA scoring: every Suricata DNS event is scored for how much its name looks made by a
-- domain generation algorithm (malware finding its command server), with a logistic model and
-- a random forest that the analyzer loads in setup() through Redis-ML commands
-- (ML.LOGREG.SET, ML.FOREST.ADD) and scores in loop() (ML.LOGREG.PREDICT, ML.FOREST.RUN).
-- Events that are not DNS are dropped by the filter. See docs/model-scoring.md.
redis_host = "127.0.0.1"
redis_port = "6379"

inputs = {
  { tag="eve", uri="file://../data/eve-sample.jsonl", script="dns-filter.lua",
    default_analyzer="dga" },
}

analyzers = {
  { tag="dga", script="dga.lua", default_analyzer="", default_output="scored" },
}

outputs = {
  { tag="scored", uri="file://dga-scored.json" },
}
