--- round-half
return string.format("%.0f %.0f %.0f %.0f %.0f", 0.5, 1.5, 2.5, 3.5, -2.5)
--- round-binary
return string.format("%.2f %.2f %.2f", 2.675, 1.005, 0.125)
--- round-e
return string.format("%.1e %.0e %.0e", 0.125, 2.5, 3.5)
--- round-g
return string.format("%.1g %.2g %g", 0.25, 2.25, 2.5)
--- f-default
return string.format("%f %f %f", 1/3, 1e10, -0.5)
--- f-width
return string.format("[%10.3f] [%-10.3f] [%010.3f] [%+.2f] [% .2f]", math.pi, math.pi, -math.pi, 1, 1)
--- f-huge
return string.format("%.2f", 1e22), string.format("%.0f", 2^70)
--- f-precision-99
return string.format("%.99f", 1/3)
--- f-alt
return string.format("%#.0f %#.0e %#g %#x %#o %#X", 2, 3, 1, 255, 8, 255)
--- e-default
return string.format("%e %E %e", 12345.6789, 0.00012, 0)
--- e-big-exponent
return string.format("%e %e", 1e300, 1e-300)
--- g-default
return string.format("%g %g %g %g %g", 100000, 1000000, 0.0001, 0.00001, 123456789)
--- g-precision
return string.format("%.3g %.10g %.17g %.20g", math.pi, math.pi, 0.1, 0.1)
--- g-upper
return string.format("%G %G", 1e-10, 1e20)
--- g-zero
return string.format("%g %.0g %#.3g", 0, 0, 0)
--- nonfinite
return string.format("%f %e %g %5.1f|%-6f|%+f", 1/0, -1/0, 0/0, 0/0, 1/0, 1/0)
--- nonfinite-upper
return string.format("%E %G", 1/0, -1/0)
--- a-hex
return string.format("%a %A %.3a %a", 1, 0.1, 1, -1e300)
--- a-zero
return string.format("%a %a", 0, 0.5)
--- d-basic
return string.format("%d %d %d %i", 42, -42, 3.99, -3.99)
--- d-width
return string.format("[%5d] [%-5d] [%05d] [%+d] [% d] [%.3d] [%5.3d]", 42, 42, -42, 5, 5, 7, 7)
--- d-huge
return string.format("%d %d %d", 2^53, 2^63, -2^63)
--- d-out-of-range
return string.format("%d %d", 1e100, 0/0)
--- d-zero-precision
return string.format("[%.0d] [%5.0d]", 0, 0)
--- d-string-arg
return string.format("%d", "42"), string.format("%d", " 0x10 ")
--- x-basic
return string.format("%x %X %x %o", 255, 255, 3.9, 8)
--- x-negative
return string.format("%x %X %o", -1, -255, -1)
--- x-big
return string.format("%x %x", 2^53, 2^64)
--- u-negative
return string.format("%u %u", -1, 2^63)
--- c-basic
return string.format("%c%c%c", 72, 105, 33)
--- c-wrap
return string.format("%c%c", 256 + 65, -191):byte(1, -1)
--- c-zero
return #string.format("%c", 0), string.format("[%3c] [%-3c]", 65, 66)
--- s-basic
return string.format("%s %s %s %s", "x", 1, 1.5, true)
--- s-precision
return string.format("[%5.2s] [%-5s] [%.0s] [%10.4s]", "abc", "ab", "abc", "abcdefg")
--- s-nil
return string.format("%s %s", nil, false)
--- s-tostring-meta
local t = setmetatable({}, {__tostring = function() return "T!" end}) return string.format("%s", t)
--- s-nul
return #string.format("%s", "a\0b"), #string.format("%.1s", "a\0b")
--- s-number-precision
return string.format("%.3s", 1/3)
--- q-basic
return string.format("%q", "a\rb\1c\0019\n\"\\")
--- q-control
return string.format("%q", "\0\1\0011\127\200\255")
--- q-number
return string.format("%q %q %q", 1/3, 1e100, 0/0)
--- q-integer
return string.format("%q", 42)
--- percent
return string.format("100%% %s", "done")
--- many-args
return string.format("%s-%s-%s-%s-%s-%s", 1, 2, 3, 4, 5, 6)
--- extra-args
return string.format("%d", 1, 2, 3)
--- no-format-args
return string.format("plain")
--- number-format-string
return string.format(12)
--- repeated-flags
return string.format("[%--5d] [%++d] [%00d]", 1, 2, 3)
--- error-invalid-option
return pcall(string.format, "%y", 1)
--- error-invalid-upper-f
return pcall(string.format, "%F", 1)
--- error-width-too-long
return pcall(string.format, "%123d", 1)
--- error-precision-too-long
return pcall(string.format, "%.100f", 1)
--- error-trailing-percent
return pcall(string.format, "abc%")
--- error-percent-space-end
return pcall(string.format, "%5")
--- error-missing-arg
local ok, e = pcall(function() local s = string.format("%d %d", 1) return s end) return ok, e
--- error-number-expected
local ok, e = pcall(function() local s = string.format("%d", "x") return s end) return ok, e
--- error-number-expected-table
local ok, e = pcall(function() local s = string.format("%f", {}) return s end) return ok, e
--- error-s-no-value
local ok, e = pcall(function() local s = string.format("%s") return s end) return ok, e
--- q-table
local ok, s = pcall(function() local s = string.format("%q", {}) return s end) return ok, s:match('^"table: ') ~= nil
--- error-format-no-args
local ok, e = pcall(function() local s = string.format() return s end) return ok, e
--- p-pointer
return (string.format("%p", {})):match("^0x%x+$") ~= nil
--- redis-key
local score, count = 0.75, 3 return "HSET h " .. score .. " " .. count, string.format("%s:%d", "k", 7)
--- percent-in-args
return string.format("%s", "%d")
--- d-negative-zero
return string.format("%d %.1f %g", -0.0, -0.0, -0.0)
--- f-tiny
return string.format("%.3f %.3f", 0.0005, -0.0005)
--- f-large-width
return string.format("%99.2f", 1):len()
