-- Scores dns.rrname for DGA likelihood (names made by a domain generation algorithm) and adds
--   analytics.dga = { score = mean of lr and rf, lr = logistic model, rf = share of forest
--                     trees voting DGA, class = "dga" when score >= 0.5 else "benign",
--                     vote = the forest's majority class (1 = DGA), label = the name's
--                     registered label, the one the features describe }
-- to the event, then writes it to the default output.
--
-- analyzer/dga-model.txt is written by scripts/train-dga.py: its ML.* lines load the two models
-- into Redis (sent as they are with conn:command_line, so every instance shares one copy), its
-- FEATURES/SUFFIXES/BIGRAMS lines define the features, and its CHECK lines hold names with the
-- scores the training script computed; setup() scores them again, so features that drifted from
-- the training script's stop the job at start instead of scoring wrongly.

local MODEL_FILE = "analyzer/dga-model.txt"

local conn
local lr_key, rf_key
local feature_names = {}
local suffixes = {}
local bigrams = {}

local VOWEL = { [97] = true, [101] = true, [105] = true, [111] = true, [117] = true }

local function words(line)
  local out = {}
  for w in line:gmatch("%S+") do
    out[#out + 1] = w
  end
  return out
end

-- The label left of the public suffix: "google" for www.google.co.uk (as the training script).
local function registered_label(name)
  local labels = {}
  for part in (name:lower():gsub("%.+$", "")):gmatch("[^.]+") do
    labels[#labels + 1] = part
  end
  local n = #labels
  if n == 0 then
    return ""
  elseif n == 1 then
    return labels[1]
  elseif n >= 3 and suffixes[labels[n - 1] .. "." .. labels[n]] then
    return labels[n - 2]
  end
  return labels[n - 1]
end

local function is_letter(b)
  return b ~= nil and b >= 97 and b <= 122
end

-- len, entropy, digits, vowels, consonant_run, unique, rare_bigrams of the registered label.
local function features(name)
  local label = registered_label(name)
  local len = #label
  local counts, chars = {}, {}
  local digits, vowels, run, best_run = 0, 0, 0, 0
  local pairs_seen, rare = 0, 0
  for i = 1, len do
    local c = label:sub(i, i)
    local b = label:byte(i)
    if not counts[c] then
      counts[c] = 0
      chars[#chars + 1] = c
    end
    counts[c] = counts[c] + 1
    if b >= 48 and b <= 57 then
      digits = digits + 1
    end
    if VOWEL[b] then
      vowels = vowels + 1
    end
    if is_letter(b) and not VOWEL[b] then
      run = run + 1
      if run > best_run then
        best_run = run
      end
    else
      run = 0
    end
    local nb = label:byte(i + 1)
    if is_letter(b) and is_letter(nb) then
      pairs_seen = pairs_seen + 1
      if not bigrams[label:sub(i, i + 1)] then
        rare = rare + 1
      end
    end
  end
  table.sort(chars)
  local entropy = 0
  for _, c in ipairs(chars) do
    local p = counts[c] / len
    entropy = entropy - p * math.log(p) / math.log(2)
  end
  local function ratio(a, b)
    if b == 0 then
      return 0
    end
    return a / b
  end
  -- Six decimals, as the training script rounds them (so both see the same values).
  local function quantize(v)
    return math.floor(v * 1e6 + 0.5) / 1e6
  end
  return {
    quantize(len),
    quantize(entropy),
    quantize(ratio(digits, len)),
    quantize(ratio(vowels, len)),
    quantize(best_run),
    quantize(ratio(#chars, len)),
    quantize(ratio(rare, pairs_seen)),
  }, label
end

-- A prediction reply as a number; an error reply (a table) is raised with its text.
local function number(reply, what)
  local v = tonumber(reply)
  if v == nil then
    error(what .. " failed: " .. tostring(type(reply) == "table" and reply.name or reply))
  end
  return v
end

-- Scores one name: the analytics.dga table.
local function score(name)
  local x, label = features(name)
  local lr = number(conn:command("ML.LOGREG.PREDICT", lr_key, unpack(x)), "ML.LOGREG.PREDICT")
  local parts = {}
  for i, f in ipairs(feature_names) do
    parts[i] = f .. ":" .. tostring(x[i])
  end
  local sample = table.concat(parts, ",")
  local rf = number(conn:command("ML.FOREST.RUN", rf_key, sample, "REGRESSION"), "ML.FOREST.RUN")
  local vote = number(conn:command("ML.FOREST.RUN", rf_key, sample, "CLASSIFICATION"),
                      "ML.FOREST.RUN")
  local s = (lr + rf) / 2
  return {
    score = s,
    lr = lr,
    rf = rf,
    vote = vote,
    class = s >= 0.5 and "dga" or "benign",
    label = label,
  }
end

function setup()
  conn = assert(hiredis.connect())
  local file = assert(io.open(MODEL_FILE, "r"))
  local checks = {}
  local line_number = 0
  for line in file:lines() do
    line_number = line_number + 1
    local w = words(line)
    local head = w[1]
    if head == nil or head:sub(1, 1) == "#" then
      -- comment
    elseif head == "FEATURES" then
      for i = 2, #w do
        feature_names[#feature_names + 1] = w[i]
      end
    elseif head == "SUFFIXES" then
      for i = 2, #w do
        suffixes[w[i]] = true
      end
    elseif head == "BIGRAMS" then
      for i = 2, #w do
        bigrams[w[i]] = true
      end
    elseif head:upper():sub(1, 3) == "ML." then
      local reply = conn:command_line(line)
      if reply ~= hiredis.status.OK then
        error(MODEL_FILE .. ":" .. line_number .. ": " .. head .. " failed: "
              .. tostring(type(reply) == "table" and reply.name or reply))
      end
      if head:upper() == "ML.LOGREG.SET" then
        lr_key = w[2]
      elseif head:upper() == "ML.FOREST.ADD" then
        rf_key = w[2]
      end
    elseif head == "CHECK" then
      checks[#checks + 1] = w
    end
  end
  file:close()
  assert(lr_key and rf_key and #feature_names == 7, MODEL_FILE .. ": models or FEATURES missing")
  for _, c in ipairs(checks) do
    local got = score(c[2])
    local lr, rf = tonumber(c[3]), tonumber(c[4])
    if math.abs(got.lr - lr) > 1e-6 or math.abs(got.rf - rf) > 1e-6 then
      error(MODEL_FILE .. ": CHECK " .. c[2] .. ": expected lr " .. lr .. " rf " .. rf
            .. ", got lr " .. got.lr .. " rf " .. got.rf
            .. " (the features in dga.lua no longer match scripts/train-dga.py)")
    end
  end
end

function loop(msg)
  local analytics = msg.analytics
  if type(analytics) ~= "table" then
    analytics = {}
    msg.analytics = analytics
  end
  analytics.dga = score(msg.dns.rrname)
  dragonfly.output_event(default_output, msg)
end
