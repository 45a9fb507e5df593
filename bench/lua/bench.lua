-- CPU benchmark for bench/programs.sh: recursion, numeric loops, strings and sorting.
-- Prints a checksum so every build can be checked to compute the same thing.
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end

local function loops(n)
  local s = 0.0
  for i = 1, n do
    local x = i % 7
    s = s + x * 0.5 - (i & 3)
  end
  return s
end

local function strings(n)
  local t = {}
  for i = 1, n do
    t[i] = string.format("%08x-%s", (i * 2654435761) % 4294967296, string.rep("ab", i % 5))
  end
  table.sort(t)
  local parts = {}
  for i = 1, #t, 97 do parts[#parts + 1] = t[i]:sub(1, 4) end
  return #table.concat(parts, ","), t[1], t[#t]
end

local f = fib(30)
local l = loops(20000000)
local n, first, last = strings(300000)
print(f, l, n, first, last)
