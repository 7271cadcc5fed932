-- LuaJIT's side: the same driver, the modules an analyzer has (cjson, cjson_safe), then the
-- batches named on the command line; results to stdout, batches separated by a line "\0".
cjson = require("cjson")
cjson_safe = require("cjson.safe")
local dir = arg[1]
-- loaded under the name the engine gives it, so positions in messages read the same
local f = assert(io.open(dir .. "/driver.lua", "rb"))
assert(loadstring(f:read("*a"), "@analyzer/driver.lua"))()
f:close()
for i = 2, #arg, 2 do
  local f = assert(io.open(arg[i], "rb"))
  local batch = f:read("*a")
  f:close()
  io.write(run_batch(batch, arg[i + 1] == "generated"), "\n\0\n")
end
