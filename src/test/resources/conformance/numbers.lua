--- tostring-fractions
return tostring(37/3), tostring(1/3), tostring(2/3), tostring(0.1), tostring(0.1 + 0.2)
--- tostring-small
return tostring(1e-5), tostring(1e-4), tostring(0.00012345), tostring(5e-324)
--- tostring-large
return tostring(1e15), tostring(1e16), tostring(1e100), tostring(1e300 * 10), tostring(2^63)
--- tostring-integers
return tostring(0), tostring(-1), tostring(2^31), tostring(2^32 + 1), tostring(123456789012)
--- tostring-big-integers
return tostring(2^53), tostring(2090564295433925), tostring(1e17)
--- tostring-negative-zero
return tostring(-0.0), tostring(0 * -1), tostring(-0)
--- tostring-nan-inf
return tostring(0/0), tostring(-(0/0)), tostring(1/0), tostring(-1/0), tostring(math.huge)
--- tostring-ties
return tostring(12345678901234.5), tostring(12345678901233.5), tostring(0.5), tostring(2.5)
--- tostring-15-digits
return tostring(123456789012345.6), tostring(0.123456789012345678), tostring(99999999999999.95)
--- concat-fractions
return "" .. 37/3, "" .. 1e-5, "" .. 1e300, "" .. -1e-300
--- concat-large
return "" .. 2^63, "" .. 1e100, "" .. -1e15 - 0.5
--- concat-integers
return "" .. 1e15, "" .. 2^53, "" .. 2090564295433925
--- concat-nan-inf
return "" .. 0/0, "" .. 1/0, -1/0 .. ""
--- coerce-arith
return "10" + 1, "3" * "4", "2" ^ 10, "10" / 4, "7" % 3, -"2"
--- coerce-arith-hex
return "0x10" + 0, " 5 " + 1, "1e2" + 0
--- coerce-arith-fail
local ok, e = pcall(function() return "abc" + 1 end) return ok, e
--- coerce-arith-fail-field
local t = {x = "y"} local ok, e = pcall(function() return t.x * 2 end) return ok, e
--- coerce-compare-fail
local ok, e = pcall(function() return "10" < 5 end) return ok, e
--- coerce-equality
return "10" == 10, 10 == 10.0, "1" ~= 1
--- coerce-concat-float
return 0.1 .. "", (0.1 + 0.2) .. ""
--- tonumber-basic
return tonumber("10"), tonumber("  10  "), tonumber("10.5"), tonumber(".5"), tonumber("5.")
--- tonumber-exponent
return tonumber("1e3"), tonumber("1E-2"), tonumber("1e"), tonumber("1e+"), tonumber("1.5e+3")
--- tonumber-hex
return tonumber("0x10"), tonumber("0XfF"), tonumber("-0x10"), tonumber("0x"), tonumber("0x1p4"), tonumber("0x.8")
--- tonumber-special
return tonumber("inf"), tonumber("-inf"), tonumber("nan") ~= tonumber("nan"), tonumber("infinity"), tonumber("1e400")
--- tonumber-invalid
return tonumber(""), tonumber("  "), tonumber("12a"), tonumber("1..2"), tonumber("- 7"), tonumber("1_000")
--- tonumber-signs
return tonumber("+7"), tonumber("-7"), tonumber("--7"), tonumber("+-7")
--- tonumber-whitespace
return tonumber("\t3\n"), tonumber("\v3\f"), tonumber("3 4")
--- tonumber-leading-zero
return tonumber("08"), tonumber("0010"), tonumber("00.5")
--- tonumber-base
return tonumber("10", 16), tonumber("ff", 16), tonumber("FF", 16), tonumber("z", 36), tonumber("777", 8)
--- tonumber-base-2
return tonumber("1010", 2), tonumber("102", 2), tonumber("", 2), tonumber(" 11 ", 2)
--- tonumber-base-sign
return tonumber("-ff", 16), tonumber("-", 16), tonumber("+ff", 16)
--- tonumber-base-0x
return tonumber("0x10", 16), tonumber("0x10", 10)
--- tonumber-base-fraction
return tonumber("1.5", 10), tonumber("1e2", 10)
--- tonumber-base-big
return tonumber("ffffffffffff", 16), tonumber("zzzzzzzzzzzz", 36)
--- tonumber-base-number-arg
return tonumber(10, 16), tonumber(15, 10)
--- tonumber-non-string
return tonumber(nil), tonumber(true), tonumber({}), tonumber(5)
--- error-tonumber-base-range
local ok, e = pcall(function() local n = tonumber("10", 99) return n end) return ok, e
--- error-tonumber-no-arg
local ok, e = pcall(function() local n = tonumber() return n end) return ok, e
--- number-literals
return 0x10, 1e2, .5, 3., 0xA + 0, 1E-1
--- integer-division-results
return 7 / 2, -7 / 2, 7 % -3, -7 % 3, 5.5 % 2, 2^-1
--- mod-edge
return 1 % 0, -1 % math.huge, 5 % -math.huge
--- division-by-zero
return 1/0, -1/0, 0/0 ~= 0/0
--- large-integer-arith
return 2^53 + 1, 2^31 * 2, 4294967296 * 4294967296
--- float-precision
return 0.1 + 0.2 == 0.3, 1e16 + 1, 123456789 * 1000
--- number-as-table-key
local t = {} t[1.0] = "a" t[2] = "b" t[2.5] = "c" return t[1], t[2.0], t[2.5], #t
--- string-number-keys-differ
local t = {} t["1"] = "s" t[1] = "n" return t["1"], t[1]
--- unary-minus-string
return -"3", - -"2"
--- tostring-after-arith
return tostring(10 / 2), tostring(3 * 1.5), tostring(2^0.5)
--- math-results-text
return math.sqrt(2) .. "", math.sin(1) .. "", math.exp(1) .. ""
--- number-format-in-keys
local score, n = 0.33, 7 return "HSET h " .. score .. " " .. n, "k:" .. 1/3
--- tonumber-nan-text
local m = tonumber("NaN") return m ~= m, tonumber("Inf"), tonumber(" nan ") ~= tonumber(" nan ")
--- streaming-median-idiom
local median, rate = tonumber("NaN"), tonumber("0.05") local out = {} for _, v in ipairs({1200, 80, 4000.5, 75}) do if median ~= median then median = tonumber(v) else median = median + (median < v and rate or -rate) end out[#out+1] = "median " .. median end return table.concat(out, ";")
--- division-by-zero
local z, nan = 0, 0/0 return nan / z, nan / 0.0, 1 / z, -1 / z, 0 / z, nan / 1, 2^1024 / z, -(nan) / z, (nan / z) ~= (nan / z)
--- modulo-by-zero-and-infinity
local z, nan = 0, 0/0 return 5 % z, nan % z, 5 % (1/0), -5 % (1/0), (1/0) % 3
