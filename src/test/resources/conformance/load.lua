--- loadstring-basic
return loadstring("return 1 + 2")()
--- loadstring-syntax-error
return loadstring("return +")
--- loadstring-syntax-error-named
return loadstring("x = = 1", "=mychunk")
--- loadstring-name-long
local f, e = loadstring("local x = 1\nerror('e')") return pcall(f)
--- loadstring-name-string
local f = loadstring("error('e')", "chunkname") return pcall(f)
--- loadstring-name-at
local f = loadstring("error('e')", "@file.lua") return pcall(f)
--- loadstring-globals
local f = loadstring("gx = 5") f() return gx
--- loadstring-varargs
local f = loadstring("return ...") return f(1, 2)
--- load-function
local parts = {"return ", "4", nil} local i = 0 local f = load(function() i = i + 1 return parts[i] end) return f()
--- load-string
local f = load("return 7") return f()
--- setfenv-function
local f = loadstring("x = 5 return y") local env = {y = "from env"} setfenv(f, env) local r = f() return r, env.x, x
--- getfenv-default
return getfenv() ~= nil, getfenv(print) ~= nil
--- setfenv-returns
local f = function() end return setfenv(f, {}) == f
--- error-setfenv-bad
local ok, e = pcall(setfenv, print, {}) return ok
--- dofile-absent-or-confined
return type(dofile)
--- string-chunk-error-position
local ok, e = pcall(loadstring("local t = nil\nreturn t.x")) return ok, e
--- loadstring-long-name-truncated
local f, e = loadstring("return = 1 -- a rather long first line of code that goes on and on") return f, e
--- loadstring-binary-refused
local f, e = loadstring("\27Lua") return f == nil
--- require-loaded
return type(require), type(package.loaded), package.loaded.string == string
--- module-absent
return type(module)
