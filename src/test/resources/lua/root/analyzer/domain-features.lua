-- Helper module in the style of the Dragonfly examples: it defines globals
-- and returns nothing, so require() gives true.
require 'string'
require 'math'

function split_on(str, sep)
   local parts, n = {}, 0
   for piece in string.gmatch(str, "([^" .. sep .. "]+)") do
      n = n + 1
      parts[n] = piece
   end
   return { parts = parts, num = n }
end

function char_counts(s)
   local counts, distinct = {}, 0
   for i = 1, string.len(s) do
      local c = string.sub(s, i, i)
      if not counts[c] then distinct = distinct + 1 end
      counts[c] = (counts[c] or 0) + 1
   end
   counts["distinct"] = distinct
   return counts
end

function entropy(s, counts)
   local e = 0
   for k, v in pairs(counts) do
      if k ~= "distinct" then
         local p = v / string.len(s)
         e = e - p * (math.log(p) / math.log(2))
      end
   end
   return e
end
