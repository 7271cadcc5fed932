--- band-bor-bxor
return bit.band(0xff, 0x0f), bit.bor(0xf0, 0x0f), bit.bxor(0xff, 0x0f)
--- multi-args
return bit.band(0xff, 0x7f, 0x3f), bit.bor(1, 2, 4, 8), bit.bxor(1, 3, 7)
--- bnot
return bit.bnot(0), bit.bnot(-1), bit.bnot(0x12345678)
--- shifts
return bit.lshift(1, 4), bit.rshift(256, 4), bit.arshift(-256, 4), bit.rshift(-1, 28)
--- shift-wrap
return bit.lshift(1, 32), bit.lshift(1, 33), bit.lshift(1, 31), bit.rshift(1, -1)
--- rotates
return bit.rol(0x12345678, 8), bit.ror(0x12345678, 8), bit.rol(1, 31)
--- tobit
return bit.tobit(0xffffffff), bit.tobit(2^32 + 1), bit.tobit(-1), bit.tobit(1.5), bit.tobit(2.5)
--- tohex
return bit.tohex(255), bit.tohex(255, 2), bit.tohex(-1), bit.tohex(255, -4), bit.tohex(0x12345678, 3)
--- bswap
return bit.bswap(0x12345678), bit.bswap(1)
--- large-values
return bit.band(2^40 + 5, 0xff), bit.bor(2^31, 0)
--- string-args
return bit.band("255", "15")
--- error-bad-arg
local ok, e = pcall(function() local r = bit.band("x", 1) return r end) return ok, e
--- hash-idiom
local h = 5381 for c in ("hello"):gmatch(".") do h = bit.band(bit.lshift(h, 5) + h + c:byte(), 0xffffffff) end return h
--- tobit-fraction-negative
return bit.tobit(-1.5), bit.tobit(-2.5), bit.tobit(0.5)
