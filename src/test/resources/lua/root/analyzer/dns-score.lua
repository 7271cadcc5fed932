-- An analyzer shaped like the C engine's examples: globals, require, io in
-- setup, string methods, bit, marshal, string.format and dragonfly calls.
local ok = require('analyzer/domain-features')
local seen = 0
local tlds = {}

function setup()
   for line in io.lines("analyzer/tlds.txt") do
      tlds[line] = true
   end
   assert(ok == true)
end

local function features(domain)
   local split = split_on(domain, "%.")
   local counts = char_counts(domain)
   return split.num, counts.distinct, entropy(domain, counts)
end

function loop(msg)
   seen = seen + 1
   if msg.event_type ~= 'dns' or not msg.dns or not msg.dns.rrname then
      dragonfly.analyze_event(default_analyzer, msg)
      return
   end
   local name = msg.dns.rrname:lower()
   local parts, distinct, e = features(name)
   local tld = name:match("%.([^.]+)$")
   msg.analytics = {
      dns = {
         parts = parts,
         distinct = distinct,
         entropy = string.format("%.4f", e),
         known_tld = tlds[tld] == true,
         hash = bit.tohex(bit.bxor(#name, 0x5a5a)),
         epoch = dragonfly.date2epoch(msg.timestamp),
         seen = seen,
      }
   }
   local copy = marshal.decode(marshal.encode(msg))
   dragonfly.output_event(default_output, copy)
end
