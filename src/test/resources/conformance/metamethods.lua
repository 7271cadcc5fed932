--- index-function
local t = setmetatable({}, {__index = function(t, k) return k .. "!" end}) return t.x, t[1]
--- index-table-chain
local base = {a = 1} local mid = setmetatable({b = 2}, {__index = base}) local t = setmetatable({}, {__index = mid}) return t.a, t.b, t.c
--- newindex-function
local log = {} local t = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v * 2) end}) t.x = 5 return t.x
--- newindex-table
local store = {} local t = setmetatable({}, {__newindex = store}) t.x = 1 return rawget(t, "x"), store.x
--- call
local t = setmetatable({}, {__call = function(self, a, b) return a + b end}) return t(1, 2)
--- arith
local mt = {__add = function(a, b) return "add" end, __sub = function() return "sub" end, __mul = function() return "mul" end, __div = function() return "div" end, __mod = function() return "mod" end, __pow = function() return "pow" end, __unm = function() return "unm" end} local t = setmetatable({}, mt) return t + 1, 1 - t, t * t, t / 2, t % 2, t ^ 2, -t
--- concat-meta
local t = setmetatable({}, {__concat = function(a, b) return "cat" end}) return t .. "x", "x" .. t, 1 .. t
--- eq-meta
local mt = {__eq = function() return true end} local a, b = setmetatable({}, mt), setmetatable({}, mt) return a == b, a ~= b, a == 1
--- eq-different-meta
local a = setmetatable({}, {__eq = function() return true end}) local b = setmetatable({}, {__eq = function() return true end}) return a == b
--- lt-le
local mt = {__lt = function(a, b) return a.v < b.v end, __le = function(a, b) return a.v <= b.v end} local a, b = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt) return a < b, a <= b, a > b, a >= b
--- le-falls-back-to-lt
local mt = {__lt = function(a, b) return a.v < b.v end} local a, b = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt) return pcall(function() return a <= b end)
--- len-on-table-ignored
local t = setmetatable({1, 2, 3}, {__len = function() return 99 end}) return #t
--- len-on-userdata-like
return #"abc"
--- tostring-meta-print-like
local t = setmetatable({}, {__tostring = function(s) return "X" end}) return tostring(t) .. "!"
--- index-on-string
local s = "abc" return s.len, s:len()
--- string-meta-extension
function string.shout(s) return s:upper() .. "!" end local r = ("hi"):shout() string.shout = nil return r
--- metatable-field
local mt = {} local t = setmetatable({}, mt) return getmetatable(t) == mt
--- rawequal-vs-eq
local mt = {__eq = function() return true end} local a, b = setmetatable({}, mt), setmetatable({}, mt) return rawequal(a, b), a == b
--- error-arith-table
local ok, e = pcall(function() local t = {} return t + 1 end) return ok, e
--- error-call-table
local ok, e = pcall(function() local t = {} return t() end) return ok, e
--- error-index-nil-local
local ok, e = pcall(function() local a return a.b end) return ok, e
--- error-index-nil-field
local ok, e = pcall(function() local t = {} return t.x.y end) return ok, e
--- error-index-nil-global
local ok, e = pcall(function() return undefined_global.x end) return ok, e
--- error-call-nil-global
local ok, e = pcall(function() undefined_function() end) return ok, e
--- error-call-nil-method
local ok, e = pcall(function() local t = {} t:nomethod() end) return ok, e
--- error-call-nil-field
local ok, e = pcall(function() local t = {} t.f() end) return ok, e
--- error-compare-tables
local ok, e = pcall(function() return {} < {} end) return ok, e
--- error-compare-mixed
local ok, e = pcall(function() return 1 < "x" end) return ok, e
--- error-len-nil
local ok, e = pcall(function() local x return #x end) return ok, e
--- error-len-number
local ok, e = pcall(function() local x = 5 return #x end) return ok, e
--- error-newindex-nil
local ok, e = pcall(function() local t t.x = 1 end) return ok, e
--- error-arith-nil-upvalue
local u local ok, e = pcall(function() return u + 1 end) return ok, e
--- error-concat-nil-field
local t = {} local ok, e = pcall(function() return "a" .. t.missing end) return ok, e
--- error-unm-table
local ok, e = pcall(function() local t = {} return -t end) return ok, e
