--- date-utc-a
return os.date("!%a", 86400*45+3600*13+60*7+9), os.date("!%a", 1700000000), os.date("!%a", 0)
--- date-utc-A-upper
return os.date("!%A", 86400*45+3600*13+60*7+9), os.date("!%A", 1700000000), os.date("!%A", 0)
--- date-utc-b
return os.date("!%b", 86400*45+3600*13+60*7+9), os.date("!%b", 1700000000), os.date("!%b", 0)
--- date-utc-B-upper
return os.date("!%B", 86400*45+3600*13+60*7+9), os.date("!%B", 1700000000), os.date("!%B", 0)
--- date-utc-c
return os.date("!%c", 86400*45+3600*13+60*7+9), os.date("!%c", 1700000000), os.date("!%c", 0)
--- date-utc-C-upper
return os.date("!%C", 86400*45+3600*13+60*7+9), os.date("!%C", 1700000000), os.date("!%C", 0)
--- date-utc-d
return os.date("!%d", 86400*45+3600*13+60*7+9), os.date("!%d", 1700000000), os.date("!%d", 0)
--- date-utc-D-upper
return os.date("!%D", 86400*45+3600*13+60*7+9), os.date("!%D", 1700000000), os.date("!%D", 0)
--- date-utc-e
return os.date("!%e", 86400*45+3600*13+60*7+9), os.date("!%e", 1700000000), os.date("!%e", 0)
--- date-utc-F-upper
return os.date("!%F", 86400*45+3600*13+60*7+9), os.date("!%F", 1700000000), os.date("!%F", 0)
--- date-utc-g
return os.date("!%g", 86400*45+3600*13+60*7+9), os.date("!%g", 1700000000), os.date("!%g", 0)
--- date-utc-G-upper
return os.date("!%G", 86400*45+3600*13+60*7+9), os.date("!%G", 1700000000), os.date("!%G", 0)
--- date-utc-h
return os.date("!%h", 86400*45+3600*13+60*7+9), os.date("!%h", 1700000000), os.date("!%h", 0)
--- date-utc-H-upper
return os.date("!%H", 86400*45+3600*13+60*7+9), os.date("!%H", 1700000000), os.date("!%H", 0)
--- date-utc-I-upper
return os.date("!%I", 86400*45+3600*13+60*7+9), os.date("!%I", 1700000000), os.date("!%I", 0)
--- date-utc-j
return os.date("!%j", 86400*45+3600*13+60*7+9), os.date("!%j", 1700000000), os.date("!%j", 0)
--- date-utc-k
return os.date("!%k", 86400*45+3600*13+60*7+9), os.date("!%k", 1700000000), os.date("!%k", 0)
--- date-utc-l
return os.date("!%l", 86400*45+3600*13+60*7+9), os.date("!%l", 1700000000), os.date("!%l", 0)
--- date-utc-m
return os.date("!%m", 86400*45+3600*13+60*7+9), os.date("!%m", 1700000000), os.date("!%m", 0)
--- date-utc-M-upper
return os.date("!%M", 86400*45+3600*13+60*7+9), os.date("!%M", 1700000000), os.date("!%M", 0)
--- date-utc-n
return os.date("!%n", 86400*45+3600*13+60*7+9), os.date("!%n", 1700000000), os.date("!%n", 0)
--- date-utc-p
return os.date("!%p", 86400*45+3600*13+60*7+9), os.date("!%p", 1700000000), os.date("!%p", 0)
--- date-utc-P-upper
return os.date("!%P", 86400*45+3600*13+60*7+9), os.date("!%P", 1700000000), os.date("!%P", 0)
--- date-utc-r
return os.date("!%r", 86400*45+3600*13+60*7+9), os.date("!%r", 1700000000), os.date("!%r", 0)
--- date-utc-R-upper
return os.date("!%R", 86400*45+3600*13+60*7+9), os.date("!%R", 1700000000), os.date("!%R", 0)
--- date-utc-s
return os.date("!%s", 86400*45+3600*13+60*7+9), os.date("!%s", 1700000000), os.date("!%s", 0)
--- date-utc-S-upper
return os.date("!%S", 86400*45+3600*13+60*7+9), os.date("!%S", 1700000000), os.date("!%S", 0)
--- date-utc-t
return os.date("!%t", 86400*45+3600*13+60*7+9), os.date("!%t", 1700000000), os.date("!%t", 0)
--- date-utc-T-upper
return os.date("!%T", 86400*45+3600*13+60*7+9), os.date("!%T", 1700000000), os.date("!%T", 0)
--- date-utc-u
return os.date("!%u", 86400*45+3600*13+60*7+9), os.date("!%u", 1700000000), os.date("!%u", 0)
--- date-utc-U-upper
return os.date("!%U", 86400*45+3600*13+60*7+9), os.date("!%U", 1700000000), os.date("!%U", 0)
--- date-utc-V-upper
return os.date("!%V", 86400*45+3600*13+60*7+9), os.date("!%V", 1700000000), os.date("!%V", 0)
--- date-utc-w
return os.date("!%w", 86400*45+3600*13+60*7+9), os.date("!%w", 1700000000), os.date("!%w", 0)
--- date-utc-W-upper
return os.date("!%W", 86400*45+3600*13+60*7+9), os.date("!%W", 1700000000), os.date("!%W", 0)
--- date-utc-x
return os.date("!%x", 86400*45+3600*13+60*7+9), os.date("!%x", 1700000000), os.date("!%x", 0)
--- date-utc-X-upper
return os.date("!%X", 86400*45+3600*13+60*7+9), os.date("!%X", 1700000000), os.date("!%X", 0)
--- date-utc-y
return os.date("!%y", 86400*45+3600*13+60*7+9), os.date("!%y", 1700000000), os.date("!%y", 0)
--- date-utc-Y-upper
return os.date("!%Y", 86400*45+3600*13+60*7+9), os.date("!%Y", 1700000000), os.date("!%Y", 0)
--- date-utc-z
return os.date("!%z", 86400*45+3600*13+60*7+9), os.date("!%z", 1700000000), os.date("!%z", 0)
--- date-utc-Z-upper
return os.date("!%Z", 86400*45+3600*13+60*7+9), os.date("!%Z", 1700000000), os.date("!%Z", 0)
--- date-utc-pct
return os.date("!%%", 86400*45+3600*13+60*7+9), os.date("!%%", 1700000000), os.date("!%%", 0)
--- date-local-d
return os.date("%d", 1700000000), os.date("%d", 1719000000)
--- date-local-e
return os.date("%e", 1700000000), os.date("%e", 1719000000)
--- date-local-H-upper
return os.date("%H", 1700000000), os.date("%H", 1719000000)
--- date-local-I-upper
return os.date("%I", 1700000000), os.date("%I", 1719000000)
--- date-local-j
return os.date("%j", 1700000000), os.date("%j", 1719000000)
--- date-local-m
return os.date("%m", 1700000000), os.date("%m", 1719000000)
--- date-local-U-upper
return os.date("%U", 1700000000), os.date("%U", 1719000000)
--- date-local-V-upper
return os.date("%V", 1700000000), os.date("%V", 1719000000)
--- date-local-W-upper
return os.date("%W", 1700000000), os.date("%W", 1719000000)
--- date-local-y
return os.date("%y", 1700000000), os.date("%y", 1719000000)
--- date-local-Y-upper
return os.date("%Y", 1700000000), os.date("%Y", 1719000000)
--- date-local-Z-upper
return os.date("%Z", 1700000000), os.date("%Z", 1719000000)
--- date-local-a
return os.date("%a", 1700000000), os.date("%a", 1719000000)
--- date-local-p
return os.date("%p", 1700000000), os.date("%p", 1719000000)
--- date-local-c
return os.date("%c", 1700000000), os.date("%c", 1719000000)
--- date-local-s
return os.date("%s", 1700000000), os.date("%s", 1719000000)
--- date-iso-stamp
return os.date("!%Y-%m-%dT%TZ", 1548695772)
--- date-iso-stamp-F
return os.date("!%FT%T", 1548695772)
--- date-iso-weeks
local out = {} for _, t in ipairs{0, 1609459200, 1609545600, 1640995200, 1704067200, 1735603200} do out[#out+1] = os.date("!%G-%V-%u %g %U %W %j", t) end return table.concat(out, "|")
--- date-flags
return os.date("!%-d|%_d|%^a|%#Z|%5Y|%-j|%_H|%010s|%3e", 86400*2)
--- date-modifiers
return os.date("!%Ey|%Od|%EC|%OH", 0)
--- date-unknown
return os.date("!%Q|%+|%v|%L", 0)
--- date-percent-end
return os.date("!abc%", 0)
--- date-literal
return os.date("!plain text", 0), os.date("!", 0)
--- date-t-utc
local t = os.date("!*t", 1548695772) return t.year, t.month, t.day, t.hour, t.min, t.sec, t.wday, t.yday, t.isdst
--- date-t-local
local t = os.date("*t", 1548695772) return t.year, t.month, t.day, t.hour, t.min, t.sec, t.wday, t.yday, t.isdst
--- date-t-not-prefix
return os.date("!*tx", 0)
--- date-fractional-time
return os.date("!%T", 59.9), os.date("!%T", -0.5)
--- date-negative-time
return os.date("!%Y-%m-%d %T", -86400 * 365)
--- date-far-future
return os.date("!%Y-%m-%d", 253402300799), os.date("!%Y", 32503680000)
--- date-string-time
return os.date("!%T", "3600")
--- date-number-format
return os.date(12, 0)
--- date-default-type
return type(os.date()), #os.date("!%c", 0)
--- date-c-padding
return os.date("!%c", 86400 * 3), os.date("!%x %X %r", 86400 * 3 + 3600 * 15)
--- date-nul-in-format
return os.date("!%Y\0%m", 0)
--- error-date-bad-time
local ok, e = pcall(function() local s = os.date("!%Y", "x") return s end) return ok, e
--- time-table-utc-roundtrip
local t = os.time({year = 2019, month = 1, day = 28, hour = 17, min = 16, sec = 12}) return os.date("%Y-%m-%d %H:%M:%S", t)
--- time-table-default-hour
local t = os.time({year = 2020, month = 2, day = 29}) return os.date("%H:%M:%S", t)
--- time-table-normalises
local t = os.time({year = 2020, month = 13, day = 32, hour = 25}) return os.date("%Y-%m-%d %H", t)
--- time-now-type
local t = os.time() return type(t), t == math.floor(t), t > 1.7e9
--- error-time-missing-field
local ok, e = pcall(os.time, {year = 2020}) return ok, e
--- clock-type
local c = os.clock() return type(c), c >= 0
--- difftime
return os.difftime(10, 4), os.difftime(5)
--- getenv-type
return type(os.getenv)
