--- len
return string.len("abc"), #"", ("a\0b"):len(), string.len(123)
--- sub-basic
return ("hello"):sub(2, 4), ("hello"):sub(-3), ("hello"):sub(2), ("hello"):sub(0)
--- sub-out-of-range
return ("hello"):sub(10), ("hello"):sub(3, 2), ("hello"):sub(-100, 2), ("hello"):sub(2, 100)
--- sub-fractional
return ("hello"):sub(1.9, 3.9), ("hello"):sub("2", "3")
--- sub-huge
return ("hello"):sub(2, 2^40), ("hello"):sub(-2^40, 1)
--- upper-lower
return ("Hello, World!"):upper(), ("Hello, World!"):lower(), ("\200\233"):upper():byte(1, -1)
--- rep-basic
return ("ab"):rep(3), ("ab"):rep(0), ("ab"):rep(-1), ("ab"):rep(3, ",")
--- rep-fraction
return ("x"):rep(2.9), ("x"):rep("3")
--- rep-sep-one
return ("x"):rep(1, ","), ("x"):rep(0, ",")
--- rep-empty-huge
return #(""):rep(1e9)
--- rep-too-large
return pcall(string.rep, "xx", 2^30)
--- rep-negative-huge
return pcall(string.rep, "x", -1e10)
--- reverse
return ("abc"):reverse(), (""):reverse(), string.reverse(123)
--- byte-basic
return ("ABC"):byte(), ("ABC"):byte(2), ("ABC"):byte(1, -1), ("ABC"):byte(10)
--- byte-negative
return ("ABC"):byte(-1), ("ABC"):byte(-10, 2), ("ABC"):byte(3, 1)
--- byte-high
return ("\255\0"):byte(1, 2)
--- char-basic
return string.char(72, 105), string.char(), #string.char(0, 255)
--- char-fraction
return string.char(65.7, "66")
--- error-char-range
local ok, e = pcall(function() local s = string.char(256) return s end) return ok, e
--- error-char-negative
local ok, e = pcall(function() local s = string.char(-1) return s end) return ok, e
--- error-byte-no-string
local ok, e = pcall(function() local s = string.byte() return s end) return ok, e
--- error-sub-table
local ok, e = pcall(function() local s = string.sub({}) return s end) return ok, e
--- error-upper-nil
local ok, e = pcall(function() local s = string.upper(nil) return s end) return ok, e
--- error-rep-no-count
local ok, e = pcall(function() local s = string.rep("x") return s end) return ok, e
--- error-len-bool
local ok, e = pcall(function() local s = string.len(true) return s end) return ok, e
--- coerce-number-args
return string.upper(1e-5), string.len(37/3), string.sub(1/3, 1, 6), string.byte(12, 2)
--- string-methods-on-literals
return ("x"):upper(), ("%d"):format(5), ("abc"):len()
--- string-metatable-index
return getmetatable("").__index == string
--- string-compare
return "a" < "b", "a" < "B", "abc" < "abd", "" < "a", "a\0b" < "a\0c", "Z" < "a"
--- string-compare-high
return "\200" > "a", "\255" > "\128"
--- concat-numbers
return 1 .. 2, 1.5 .. "", -0.25 .. "x", 2^31 .. ""
--- concat-mixed
return "n=" .. 10 / 4 .. ";" .. 3
--- error-concat-nil
local ok, e = pcall(function() local x return "a" .. x end) return ok, e
--- error-concat-table
local ok, e = pcall(function() return "a" .. {} end) return ok, e
--- error-concat-bool
local ok, e = pcall(function() local b = true return b .. "x" end) return ok, e
--- escape-decimal
return "\65\066\0671", #"\0\00\000"
--- escape-newline
return "a\
b"
--- long-string
return [[
first
second]], [==[a]]b]==]
--- string-length-op
local s = "hello" return #s, #("x"):rep(1000)
--- tostring-string
return tostring("x"), tostring(""), type(tostring(nil))
--- string-lib-keys
local t = {} for k in pairs(string) do t[#t+1] = k end table.sort(t) return table.concat(t, " ")
--- format-method
return ("%5.1f|%s"):format(3.14159, "x")
--- gsub-chain
return ("a-b-c"):gsub("-", "+"):upper()
--- upper-number
return ("x"):upper() .. 1
--- dump-missing
return type(string.dump)
