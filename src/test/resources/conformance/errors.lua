--- error-string
return pcall(error, "boom")
--- error-string-in-function
return pcall(function() error("boom") end)
--- error-level-0
return pcall(function() error("boom", 0) end)
--- error-level-2
local function f() error("deep", 2) end return pcall(function() f() end)
--- error-table
local t = {code = 42} local ok, e = pcall(error, t) return ok, e == t, e.code
--- error-number
return pcall(function() error(12) end)
--- error-number-float
return pcall(function() error(1.5) end)
--- error-nil
return pcall(error)
--- error-nil-count
return select("#", pcall(error))
--- error-no-newline
local ok, e = pcall(error, "boom") return e:sub(-1) == "\n", #e
--- error-message-position
local ok, e = pcall(function() local x = nil + 1 end) return ok, e
--- error-multiline-chunk
local f = loadstring("local a = 1\nlocal b = nil\nreturn b.c") return pcall(f)
--- pcall-returns
return pcall(function(a, b) return a + b, "x" end, 1, 2)
--- pcall-not-function
return pcall(42)
--- pcall-nested
return pcall(pcall, error, "x")
--- pcall-no-args
local ok, e = pcall(pcall) return ok, e
--- xpcall-handler
return xpcall(function() error("bad") end, function(m) return "handled: " .. m end)
--- xpcall-success
return xpcall(function() return 1, 2 end, print)
--- xpcall-traceback-type
local ok, tb = xpcall(function() error("x") end, debug and debug.traceback or tostring) return ok, type(tb)
--- xpcall-handler-table-error
local t = {} return xpcall(function() error(t) end, function(m) return m == t end)
--- error-rethrow
local ok, e = pcall(function() local ok2, e2 = pcall(error, "inner") error(e2, 0) end) return ok, e
--- error-in-gsub-callback
return pcall(string.gsub, "abc", "b", function() error("cb") end)
--- error-in-sort-comparator
return pcall(table.sort, {3, 1, 2}, function() error("cmp", 0) end)
--- error-object-tostring
local t = setmetatable({}, {__tostring = function() return "E!" end}) local ok, e = pcall(error, t) return ok, tostring(e)
--- error-with-level-1-default
return pcall(function() error("lvl", 1) end)
--- error-in-metamethod
local t = setmetatable({}, {__index = function() error("idx") end}) return pcall(function() return t.x end)
--- assert-message-number
return pcall(assert, false, 42)
--- error-tostring-of-error
local ok, e = pcall(error, "x") return tostring(e)
--- error-string-number-concat
return pcall(function() error("n=" .. 1/3) end)
--- error-call-string
return pcall(function() local s = "x" s() end)
