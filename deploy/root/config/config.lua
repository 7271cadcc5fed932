-- The root the containers run (deploy/docker/docker-compose.yml, deploy/kustomization.yaml):
-- hello-world's filter and analyzer (counts per event_type in Redis) between Kafka topics, the
-- way a cluster gets a sensor's events. Redis and Kafka are reached by their service names.
redis_host = "redis"
redis_port = 6379

inputs = {
  { tag="eve", uri="kafka://kafka:9092/suricata-eve?group=dragonfly-mle", script="eve-filter.lua",
    default_analyzer="counter" },
}

analyzers = {
  { tag="counter", script="event-type-counter.lua", default_analyzer="",
    default_output="events" },
}

outputs = {
  { tag="events", uri="kafka://kafka:9092/dragonfly-events" },
}
