--- select-count
return select("#"), select("#", nil, nil), select("#", 1, 2, 3)
--- select-index
return select(2, "a", "b", "c")
--- select-negative
return select(-1, "a", "b", "c")
--- error-select-zero
local ok, e = pcall(select, 0, 1) return ok, e
--- error-select-too-negative
local ok, e = pcall(select, -5, 1) return ok, e
--- type-names
return type(nil), type(1), type("x"), type({}), type(print), type(true), type(coroutine.create(function() end))
--- error-type-no-arg
local ok, e = pcall(type) return ok, e
--- tostring-values
return tostring(nil), tostring(true), tostring(false)
--- tostring-table-prefix
return (tostring({})):match("^table: ") ~= nil, (tostring(print)):match("^function: ") ~= nil
--- tostring-meta
local t = setmetatable({}, {__tostring = function() return "obj" end}) return tostring(t)
--- error-tostring-meta-non-string
local t = setmetatable({}, {__tostring = function() return {} end}) local ok, e = pcall(tostring, t) return ok, e
--- tostring-meta-number
local t = setmetatable({}, {__tostring = function() return 42 end}) return tostring(t)
--- assert-pass
return assert(1, "m"), select("#", assert(1, 2, 3))
--- assert-fail
return pcall(assert, false, "custom message")
--- assert-fail-default
return pcall(assert, nil)
--- assert-fail-table
local msg = {code = 1} local ok, e = pcall(assert, false, msg) return ok, e == msg
--- ipairs-pairs-types
return type(ipairs({})), type(pairs({}))
--- next-order-array
local t = {"a", "b"} local k, v = next(t) return k, v
--- getmetatable-protected
local t = setmetatable({}, {__metatable = "locked"}) return getmetatable(t), pcall(setmetatable, t, {})
--- getmetatable-string
return getmetatable("").__index == string
--- setmetatable-returns
local t = {} return setmetatable(t, nil) == t
--- error-setmetatable-bad
local ok, e = pcall(setmetatable, {}, 1) return ok, e
--- unpack-global
return unpack == table.unpack or table.unpack == nil
--- globals-present
return type(_G), _G._G == _G, type(_VERSION), _VERSION
--- coroutine-basic
local co = coroutine.create(function(a, b) local c = coroutine.yield(a + b) return c * 2 end) local ok1, r1 = coroutine.resume(co, 1, 2) local ok2, r2 = coroutine.resume(co, 10) return ok1, r1, ok2, r2, coroutine.status(co)
--- coroutine-wrap
local f = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end) return f(), f(), f()
--- coroutine-dead
local co = coroutine.create(function() end) coroutine.resume(co) return coroutine.resume(co)
--- coroutine-error
local co = coroutine.create(function() error("in co") end) return coroutine.resume(co)
--- varargs
local function f(...) return select("#", ...), ... end return f(1, nil, 3)
--- varargs-arg-table
local function f(...) local t = {...} return #t end return f(1, 2, 3)
--- closures
local function counter() local n = 0 return function() n = n + 1 return n end end local c = counter() c() return c()
--- multiple-assign
local a, b, c = (function() return 1, 2 end)() return a, b, c
--- string-to-number-compare
return 1 < 2, "1" < "2", "10" < "9"
--- while-repeat
local i, s = 0, 0 while i < 5 do i = i + 1 s = s + i end repeat i = i - 1 until i <= 0 return s, i
--- numeric-for-float
local n = 0 for i = 0, 1, 0.1 do n = n + 1 end return n
--- numeric-for-string-bounds
local n = 0 for i = "1", "3" do n = n + i end return n
--- goto-absent
local goto = 1 return goto
--- newproxy-or-nil
return type(newproxy)
--- collectgarbage-count
return type(collectgarbage("count"))
--- gcinfo
return type(gcinfo())
