--- find-plain
return ("hello world"):find("o w")
--- find-plain-flag
return ("a.b.c"):find(".", 1, true)
--- find-plain-flag-2
return ("a+b"):find("+", 1, true)
--- find-init
return ("abcabc"):find("b", 3)
--- find-init-negative
return ("abcabc"):find("b", -2)
--- find-init-past-end
return ("abc"):find("", 10)
--- find-init-end
return ("abc"):find("", 4)
--- find-init-too-negative
return ("abc"):find("a", -10)
--- find-init-zero
return ("abc"):find("a", 0)
--- find-empty
return ("abc"):find("")
--- find-captures
return ("key = value"):find("(%w+)%s*=%s*(%w+)")
--- find-position-capture
return ("hello"):find("()ll()")
--- find-anchor
return ("hello"):find("^h"), ("hello"):find("^e")
--- find-anchor-init
return ("hello"):find("^l", 3)
--- find-end-anchor
return ("hello"):find("lo$"), ("hello"):find("l$")
--- find-dollar-middle
return ("a$b"):find("a$b")
--- find-nul-plain
return ("a\0b"):find("\0"), ("a\0b"):find("b\0")
--- find-nul-pattern-ends
return ("a\0b"):find("%z"), ("ab"):find("a\0x*")
--- find-number-args
return string.find(12345, 3), string.find(1.5, "%.")
--- find-no-match
return ("abc"):find("x")
--- match-basic
return ("hello world"):match("%a+")
--- match-captures
return ("2019-01-28"):match("(%d+)-(%d+)-(%d+)")
--- match-trim
return ("  x y  "):match("^%s*(.-)%s*$")
--- match-init
return ("abc"):match(".", -1), ("abc"):match("()", 5)
--- match-empty-capture
return ("abc"):match("()")
--- match-nested-captures
return ("abcd"):match("((a)(b(c)))")
--- match-lazy
return ("<a><b>"):match("<(.-)>"), ("<a><b>"):match("<(.*)>")
--- match-optional
return ("color colour"):match("colou?r"), ("colour"):match("colou?r")
--- match-plus
return ("aaab"):match("a+"), ("b"):match("a+")
--- match-star-backtrack
return ("aaab"):match("a*ab")
--- match-minus-empty
return ("abc"):match("a-")
--- match-class-complements
return ("ab12 !"):match("%A+"), ("ab12"):match("%D+"), ("  x"):match("%S")
--- match-classes-c-locale
return ("\200\255é"):find("%a"), ("\t\v\f\r\n "):match("%s+") == "\t\v\f\r\n "
--- match-punct
return ("a!b@c#"):gsub("%p", "")
--- match-control
return ("a\1b\127"):gsub("%c", ".")
--- match-hex
return ("0xDEADbeefg"):match("%x+", 3)
--- match-graph
return ("  abc def"):match("%g+")
--- match-upper-lower
return ("HeLLo"):gsub("%u", "_"), ("HeLLo"):gsub("%l", "_")
--- match-unknown-class-literal
return ("q"):match("%q"), ("%"):match("%%")
--- set-basic
return ("hello"):gsub("[aeiou]", "*")
--- set-negated
return ("hello"):gsub("[^aeiou]", "*")
--- set-range
return ("a1b2c3"):gsub("[a-b1-2]", "")
--- set-class-inside
return ("a1 b2"):gsub("[%d%s]", "")
--- set-close-bracket-first
return ("a]b"):find("[]]"), ("a]b"):find("[^]]")
--- set-dash-end
return ("a-b"):gsub("[a-]", "x")
--- set-escaped-dash
return ("a-b"):gsub("[%-]", "x")
--- set-caret-not-first
return ("a^b"):gsub("[b^]", "x")
--- set-range-reversed
return ("abc"):find("[c-a]")
--- set-percent-bracket
return ("a]b[c"):gsub("[%]%[]", "")
--- balance
return ("f(a(b)c)d"):match("%b()"), ("[[x]]"):match("%b[]"), ("((x)"):match("%b()")
--- balance-same-chars
return ("|a|b|"):match("%b||")
--- balance-quantifier-literal
return ("(x)*"):match("%b()*")
--- frontier-words
return ("THE (quick) fox"):gsub("%f[%a]%a+", "W")
--- frontier-end
return ("hello"):find("%f[%z]"), ("ab"):match("()%f[%z]")
--- frontier-start
return ("abc"):find("%f[%a]"), ("1abc"):find("%f[%a]")
--- frontier-nonword
return ("ab cd"):gsub("%f[%W]", "|")
--- backref
return ("abcabc"):match("(abc)%1"), ("say 'hi' or \"ho\""):match("([\"'])(.-)%1")
--- backref-empty
return ("xx"):find("()%1")
--- position-captures-mixed
return ("hello world"):match("()(%a+)()")
--- gmatch-words
local t = {} for w in ("one two  three"):gmatch("%a+") do t[#t+1] = w end return table.concat(t, ",")
--- gmatch-split-empty
local t = {} for w in ("abc.def"):gmatch("([^.]*)") do t[#t+1] = "<" .. w .. ">" end return table.concat(t)
--- gmatch-csv
local t = {} for w in ("a,,b,"):gmatch("([^,]*)") do t[#t+1] = "<" .. w .. ">" end return table.concat(t)
--- gmatch-pairs
local t = {} for k, v in ("a=1, b=2"):gmatch("(%w+)=(%w+)") do t[#t+1] = k .. v end return table.concat(t, ";")
--- gmatch-anchor-literal
local t = {} for w in ("a^b^c"):gmatch("^%a") do t[#t+1] = w end return table.concat(t, ",")
--- gmatch-empty-pattern
local n = 0 for w in ("abc"):gmatch("") do n = n + 1 end return n
--- gmatch-position
local t = {} for p in ("abc"):gmatch("()") do t[#t+1] = p end return table.concat(t, ",")
--- gmatch-lines
local t = {} for l in ("l1\nl2\n\nl4"):gmatch("[^\n]+") do t[#t+1] = l end return #t, t[3]
--- gfind-alias
local t = {} for w in string.gfind("x y", "%a") do t[#t+1] = w end return table.concat(t)
--- gsub-string
return ("hello world"):gsub("o", "0")
--- gsub-count
return ("hello world"):gsub("o", "0", 1)
--- gsub-count-fraction
return ("abc"):gsub("%w", "x", 2.7)
--- gsub-count-zero
return ("abc"):gsub("%w", "x", 0)
--- gsub-count-negative
return ("abc"):gsub("%w", "x", -1)
--- gsub-whole-match
return ("abc"):gsub("%w", "<%0>")
--- gsub-captures
return ("hello world"):gsub("(%w+) (%w+)", "%2 %1")
--- gsub-percent
return ("50"):gsub("%d+", "%1%%")
--- gsub-escape-other
return ("abc"):gsub("b", "%a")
--- gsub-trailing-percent
local r, n = ("abc"):gsub("b", "%") return #r, r:byte(2), n
--- gsub-position-capture-repl
return ("abc"):gsub("()b", "%1")
--- gsub-empty-matches
return ("abc"):gsub("", "-")
--- gsub-star-empty
return ("abc"):gsub("%w*", "x")
--- gsub-anchor
return ("x^y"):gsub("^", "!"), ("aaa"):gsub("^a", "b")
--- gsub-table
return ("$name is $age"):gsub("%$(%w+)", {name = "Bob", age = 42})
--- gsub-table-false
return ("abc"):gsub("%w", {a = 1, b = false})
--- gsub-table-metatable
local t = setmetatable({}, {__index = function(_, k) return k:upper() end}) return ("abc"):gsub("%w", t)
--- gsub-function
return ("abc"):gsub("(%w)", function(x) if x == "b" then return nil end return x:upper() end)
--- gsub-function-number
return ("a b"):gsub("%w", function(x) return 1.5 end)
--- gsub-function-position
return ("abc"):gsub("()", function(p) return p end)
--- gsub-number-repl
return ("abc"):gsub("b", 12)
--- gsub-number-subject
return string.gsub(3.25, "%.", ",")
--- gsub-nul-pattern
return ("a\0b"):gsub("\0", "x")
--- gsub-url-decode
return ("a%20b%41"):gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end)
--- gsub-trim-both
return (("  pad  "):gsub("^%s+", ""):gsub("%s+$", ""))
--- error-missing-bracket
return pcall(string.find, "abc", "[a")
--- error-ends-with-percent
return pcall(string.find, "abc", "%")
--- error-set-ends-with-percent
return pcall(string.find, "abc", "[%")
--- error-unfinished-capture
return pcall(string.find, "abc", "(()")
--- error-unfinished-capture-match
return pcall(string.match, "abc", "(a")
--- error-invalid-capture-index
return pcall(string.gsub, "abc", "(a)", "%2")
--- error-invalid-capture-index-no-captures
return pcall(string.gsub, "abc", "a", "%2")
--- error-backref-unknown
return pcall(string.match, "abc", "%1")
--- error-backref-open
return pcall(string.match, "abc", "(a%1)")
--- error-invalid-pattern-capture
return pcall(string.match, "abc", "a)")
--- error-unbalanced
return pcall(string.find, "abc", "%b"), pcall(string.find, "abc", "%bx")
--- error-frontier
return pcall(string.find, "abc", "%f"), pcall(string.find, "abc", "%fx")
--- error-too-complex
return pcall(string.match, string.rep("a", 300), string.rep("a?", 250))
--- not-too-complex
return pcall(string.match, string.rep("x", 10), string.rep("x?", 200))
--- error-too-many-captures
return pcall(string.match, "x", string.rep("(", 40) .. "x" .. string.rep(")", 40))
--- thirty-two-captures
return select("#", string.match(string.rep("x", 32), string.rep("(x)", 32)))
--- error-replacement-type
return pcall(string.gsub, "abc", "a", true)
--- error-replacement-value
return pcall(string.gsub, "abc", "a", {a = {}})
--- error-replacement-value-true
return pcall(string.gsub, "abc", "a", function() return true end)
--- error-find-no-pattern
local ok, e = pcall(function() local r = string.find("abc") return r end) return ok, e
--- error-find-bad-init
local ok, e = pcall(function() local r = string.find("abc", "b", {}) return r end) return ok, e
--- error-position
local ok, e = pcall(function() local r = string.find("abc", "[") return r end) return ok, e
--- method-on-number-literal
return (12):rep(2)
--- split-idiom
local out = {} for field in ("a;b;;c"):gmatch("([^;]*);?") do out[#out+1] = "[" .. field .. "]" end return table.concat(out)
--- domain-parts
return ("www.example.co.uk"):match("([^.]+)%.([^.]+)$")
--- ip-match
return ("10.0.0.255"):match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
--- ts-parse
return ("2019-01-28T17:16:12.000386-0500"):match("^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)%.?(%d*)([-+]%d%d)(%d%d)$")
--- long-subject
local s = string.rep("ab", 5000) .. "c" return s:find("c"), #s:gsub("a", "")
--- backtracking-bounded
return (string.rep("a", 20)):match(string.rep("a*", 10) .. "b")
