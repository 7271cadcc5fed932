--- insert-remove
local t = {1, 2, 3} table.insert(t, 4) table.insert(t, 1, 0) local r = table.remove(t) local r1 = table.remove(t, 1) return table.concat(t, ","), r, r1
--- remove-empty
local t = {} return table.remove(t), #t
--- remove-position-end
local t = {1, 2} return table.remove(t, 2), table.remove(t, 1), #t
--- insert-position-beyond
local t = {1} local ok, e = pcall(table.insert, t, 5, "x") return ok, t[5], #t
--- error-insert-wrong-args
local ok, e = pcall(function() table.insert({}, 1, 2, 3) end) return ok, e
--- concat-basic
return table.concat({1, 2, 3}), table.concat({1, 2, 3}, ", "), table.concat({}, "x")
--- concat-range
return table.concat({1, 2, 3, 4}, "-", 2, 3), table.concat({1, 2}, "-", 3), table.concat({"a"}, "-", 1, 1)
--- concat-numbers
return table.concat({1/3, 1e100, 2^53, -0.5}, " ")
--- error-concat-invalid
local ok, e = pcall(table.concat, {1, {}, 3}) return ok, e
--- error-concat-nil-hole
local ok, e = pcall(table.concat, {1, 2}, ",", 1, 3) return ok, e
--- sort-numbers
local t = {5, 2, 8, 1, 9} table.sort(t) return table.concat(t, ",")
--- sort-strings
local t = {"b", "a", "C", "c"} table.sort(t) return table.concat(t, ",")
--- sort-comparator
local t = {5, 2, 8, 1} table.sort(t, function(a, b) return a > b end) return table.concat(t, ",")
--- sort-records
local t = {{n = 3}, {n = 1}, {n = 2}} table.sort(t, function(a, b) return a.n < b.n end) return t[1].n, t[2].n, t[3].n
--- error-sort-mixed
local ok, e = pcall(table.sort, {1, "a", 2}) return ok
--- length-sequence
return #{1, 2, 3}, #{}, #{n = 1}, #{1, 2, nil}
--- length-after-nil-end
local t = {1, 2, 3} t[3] = nil return #t
--- length-ignores-len-meta
local t = setmetatable({1, 2}, {__len = function() return 9 end}) return #t
--- getn-maxn
return table.getn({1, 2, 3}), table.maxn({[1] = 1, [10] = 2, [3.5] = 3, x = 4}), table.maxn({})
--- foreach
local out = {} table.foreach({a = 1}, function(k, v) out[#out+1] = k .. v end) return table.concat(out)
--- foreachi
local seen = {} table.foreachi({"x", "y", "z"}, function(i, v) seen[#seen+1] = i .. v if i == 2 then return true end end) return table.concat(seen, ",")
--- unpack-basic
return unpack({1, 2, 3})
--- unpack-range
return unpack({1, 2, 3}, 2), unpack({1, 2, 3}, 2, 3)
--- unpack-nils
return select("#", unpack({1, nil, 3}, 1, 3)), unpack({}, 1, 2)
--- unpack-empty
return select("#", unpack({}))
--- table-keys
local t = {} for k in pairs(table) do t[#t+1] = k end table.sort(t) return table.concat(t, " ")
--- next-empty
return next({})
--- ipairs-stops
local n = 0 for i, v in ipairs({1, 2, nil, 4}) do n = n + 1 end return n
--- pairs-count
local n = 0 for k, v in pairs({1, 2, x = 3, [10] = 4}) do n = n + 1 end return n
--- nested-table
local t = {a = {b = {c = 1}}} return t.a.b.c, t["a"]["b"].c
--- table-constructor-mixed
local t = {1, 2, x = 1, [3] = 3, 4} return t[3], #t
--- rawget-rawset
local t = setmetatable({}, {__index = function() return "meta" end}) rawset(t, "a", 1) return rawget(t, "a"), rawget(t, "b"), t.b
--- rawequal-rawlen
local t = {} return rawequal(t, t), rawequal(t, {}), rawequal("a", "a")
