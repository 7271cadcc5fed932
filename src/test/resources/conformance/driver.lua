-- The conformance driver: the same code runs in the engine (as an analyzer) and under luajit.
-- A batch is a string of records "<name-len>:<name><code-len>:<code>" for corpus cases, or
-- "<name-len>:<name><code-len>:<kind>\t<arg>\t<arg>..." (args length-prefixed too) for generated
-- cases. Each result is one line: name, a tab, then the case's outcome in a canonical form.
local byte, char, sub, find, concat = string.byte, string.char, string.sub, string.find, table.concat
local type, tostring, pairs, select, pcall = type, tostring, pairs, select, pcall

local function esc(s)
  local out = {}
  for i = 1, #s do
    local c = byte(s, i)
    if c < 32 or c > 126 or c == 92 or c == 34 then
      out[#out + 1] = "\\" .. tostring(c) .. ";"
    else
      out[#out + 1] = char(c)
    end
  end
  return '"' .. concat(out) .. '"'
end

local show
local function showtable(t, depth)
  if depth > 4 then return "{...}" end
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  local shown = {}
  for i = 1, #keys do shown[i] = { show(keys[i], depth + 1), keys[i] } end
  table.sort(shown, function(a, b) return a[1] < b[1] end)
  local parts = {}
  for i = 1, #shown do
    parts[i] = "[" .. shown[i][1] .. "]=" .. show(t[shown[i][2]], depth + 1)
  end
  return "{" .. concat(parts, ",") .. "}"
end

show = function(v, depth)
  local t = type(v)
  if t == "string" then return esc(v)
  elseif t == "number" then return tostring(v)
  elseif t == "table" then
    if getmetatable(v) and getmetatable(v).__tostring then return "table:" .. esc(tostring(v)) end
    return showtable(v, depth or 0)
  elseif t == "nil" or t == "boolean" then return tostring(v)
  else return t end
end

local function pack(...) return select("#", ...), { ... } end

local function outcome(ok, n, r)
  local parts = {}
  for i = 1, n do parts[i] = show(r[i]) end
  return (ok and "ok " or "error ") .. concat(parts, " ")
end

local function field(batch, pos)
  local colon = find(batch, ":", pos, true)
  local len = tonumber(sub(batch, pos, colon - 1))
  return sub(batch, colon + 1, colon + len), colon + len + 1
end

-- generated case kinds: each takes its string arguments
local gen = {}
local function num(s) if s == "nan" then return 0 / 0 end return tonumber(s) end
gen.find = function(s, p, init) return string.find(s, p, num(init)) end
gen.match = function(s, p, init) return string.match(s, p, num(init)) end
gen.gmatch = function(s, p)
  local out, n = {}, 0
  for a, b in string.gmatch(s, p) do
    n = n + 1
    out[n] = { a, b }
    if n >= 50 then break end
  end
  return out
end
gen.gsub = function(s, p, r, n) return string.gsub(s, p, r, num(n)) end
gen.format = function(f, x) return string.format(f, num(x)) end
gen.formats = function(f, x) return string.format(f, x) end
gen.concat = function(x) return "" .. num(x), num(x) .. "|" end
gen.tostring = function(x) return tostring(num(x)) end
gen.tonumber = function(s, base) return tonumber(s, num(base)) end
gen.arith = function(x, y)
  local a, b = num(x), num(y)
  return a + b, a - b, a * b, a / b, a % b, a ^ b
end

local function runone(name, code, generated)
  if generated then
    local args, pos, tab = {}, 1, find(code, "\t", 1, true)
    local kind = tab and sub(code, 1, tab - 1) or code
    pos = tab and tab + 1 or #code + 1
    while pos <= #code do args[#args + 1], pos = field(code, pos) end
    local n, r = pack(pcall(gen[kind], unpack(args)))
    return outcome(r[1], n - 1, { select(2, unpack(r, 1, n)) })
  end
  local chunk, err = loadstring(code, "=" .. name)
  if not chunk then return "compile " .. esc(err) end
  setfenv(chunk, setmetatable({}, { __index = _G }))
  local n, r = pack(pcall(chunk))
  return outcome(r[1], n - 1, { select(2, unpack(r, 1, n)) })
end

function run_batch(batch, generated)
  local out, pos = {}, 1
  while pos <= #batch do
    local name, code
    name, pos = field(batch, pos)
    code, pos = field(batch, pos)
    out[#out + 1] = name .. "\t" .. runone(name, code, generated)
  end
  return concat(out, "\n")
end
