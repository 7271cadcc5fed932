--- encode-basic
return cjson.encode({1, 2, 3}), cjson.encode({}), cjson.encode("x"), cjson.encode(1.5), cjson.encode(true)
--- encode-object
return cjson.encode({a = 1})
--- encode-null
return cjson.encode(cjson.null), cjson.encode({cjson.null})
--- encode-escapes
return cjson.encode("a\"b\\c\n\t\1/")
--- encode-integers
return cjson.encode(42), cjson.encode(-7), cjson.encode(0)
--- encode-fractions
return cjson.encode(0.5), cjson.encode(0.1), cjson.encode(1/3)
--- encode-large
return cjson.encode(1e15), cjson.encode(2^53)
--- encode-nested
return cjson.encode({a = {b = {1, 2}}})
--- error-encode-function
return pcall(cjson.encode, {f = print})
--- error-encode-nan
return pcall(cjson.encode, 0/0)
--- error-encode-inf
return pcall(cjson.encode, 1/0)
--- encode-sparse
return pcall(cjson.encode, {[1] = 1, [3] = 3})
--- decode-basic
local t = cjson.decode('{"a":1,"b":[1,2,3],"c":"x"}') return t.a, #t.b, t.c
--- decode-null
local t = cjson.decode('{"a":null}') return t.a == cjson.null, type(cjson.null)
--- decode-numbers
local t = cjson.decode("[1, 1.5, -2, 1e3, 0.1]") return t[1], t[2], t[3], t[4], t[5]
--- decode-string-escapes
return cjson.decode('"a\\nb\\u0041\\u00e9"')
--- decode-scalars
return cjson.decode("true"), cjson.decode("false"), cjson.decode("12"), cjson.decode('"s"')
--- decode-nested
local t = cjson.decode('{"a":{"b":{"c":[true]}}}') return t.a.b.c[1]
--- decode-empty
local a, o = cjson.decode("[]"), cjson.decode("{}") return type(a), next(a), type(o), next(o)
--- error-decode-bad
local ok, e = pcall(cjson.decode, "{bad}") return ok, type(e)
--- safe-decode-bad
local v, e = cjson_safe.decode("{bad}") return v, type(e)
--- safe-decode-good
return cjson_safe.decode("[1]")[1]
--- roundtrip
local s = '{"k":[1,"two",{"three":3}]}' local t = cjson.decode(s) return t.k[1], t.k[2], t.k[3].three
--- decode-flow-id-text
local t = cjson.decode('{"flow_id":1234567}') return t.flow_id, "id:" .. t.flow_id
