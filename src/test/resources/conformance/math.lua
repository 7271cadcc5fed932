--- floor-ceil
return math.floor(3.7), math.floor(-3.7), math.ceil(3.2), math.ceil(-3.2), math.floor(-0.0)
--- floor-huge
return math.floor(2^60 + 0.5), math.ceil(1e300), math.floor(1/0)
--- abs-min-max
return math.abs(-3), math.abs(-0.5), math.min(3, 1, 2), math.max(3, 1, 2), math.max(-1/0, 0/0)
--- min-max-strings
return math.max("10", 9), math.min(1.5, "1")
--- sqrt-exp-log
return math.sqrt(16), math.sqrt(2), math.exp(0), math.log(1), math.log(math.exp(2))
--- log-base
return math.log10(1000), math.log(8, 2), math.log(100, 10)
--- trig
return math.sin(0), math.cos(0), math.tan(1), math.asin(1), math.acos(0), math.atan(1)
--- atan2-sinh
return math.atan2(1, 1), math.atan2(-1, -1), math.sinh(1), math.cosh(1), math.tanh(1)
--- deg-rad
return math.deg(math.pi), math.rad(180)
--- pow-fmod
return math.pow(2, 10), math.pow(2, 0.5), math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.mod(-7, 3)
--- fmod-zero
return math.fmod(1, 0) ~= math.fmod(1, 0), math.fmod(0, 1)
--- modf
return math.modf(3.7), math.modf(-3.7), math.modf(5), math.modf(1/0)
--- frexp-ldexp
return math.frexp(8), math.frexp(0.3), math.frexp(0), math.ldexp(0.5, 4), math.ldexp(1, -1)
--- huge-pi
return math.huge, -math.huge, math.pi
--- random-range
math.randomseed(42) local ok = true for i = 1, 100 do local r = math.random(1, 6) ok = ok and r >= 1 and r <= 6 and r == math.floor(r) end local f = math.random() return ok, f >= 0 and f < 1
--- random-one-arg
local ok = true for i = 1, 50 do local r = math.random(3) ok = ok and r >= 1 and r <= 3 end return ok
--- error-floor-string
local ok, e = pcall(function() local r = math.floor("x") return r end) return ok, e
--- floor-negative-half
return math.floor(-0.5), math.ceil(-0.5) .. "", math.floor(2^31 + 0.5)
--- floor-string-number
return math.floor("3.7"), math.abs("-2")
--- math-keys
local t = {} for k in pairs(math) do t[#t+1] = k end table.sort(t) return table.concat(t, " ")
--- sqrt-negative
local r = math.sqrt(-1) return r ~= r
--- integer-ops
return 7 // 1 == nil
--- pow-edge-cases
local inf, nan = 1/0, 0/0 return 1^inf, 1^nan, (-1)^inf, (-1)^(-inf), nan^0, 2^inf, 0.5^inf, math.pow(1, inf), math.pow(1, nan), (-8)^(1/3), 0^-1, (-0.5)^inf, 2^-inf
--- pow-of-infinity-and-zero-by-parity
local inf = 1/0 return (-inf)^3521108537280926, (-inf)^3521108537280927, (-inf)^-3521108537280926, (-inf)^0.5, 0^-3, (-inf)^3
