-- Counts events per event_type in Redis (key dragonfly:event_type:TYPE) and forwards the
-- event unchanged to the default output.
local redis

function setup()
  local err
  redis, err = hiredis.connect()
  assert(redis, err)
  assert(redis:command("PING") == hiredis.status.PONG)
end

function loop(msg)
  local reply = redis:command("INCR", "dragonfly:event_type:" .. msg.event_type)
  if type(reply) == "table" and reply.type == hiredis.REPLY_ERROR then
    error("INCR failed: " .. reply.name)
  end
  dragonfly.output_event(default_output, msg)
end
