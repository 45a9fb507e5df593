-- small algorithms: primes, fib memo, n-queens, string building, float accumulation, os/io
local function sieve(n)
  local is = {}
  for i = 2, n do is[i] = true end
  for i = 2, math.floor(math.sqrt(n)) do
    if is[i] then for j = i * i, n, i do is[j] = false end end
  end
  local c = 0 for i = 2, n do if is[i] then c = c + 1 end end
  return c
end
print(sieve(100000))
local memo = {}
local function fib(n) if n < 2 then return n end if memo[n] then return memo[n] end local v = fib(n - 1) + fib(n - 2) memo[n] = v return v end
print(fib(90), fib(80) / fib(79))
local function queens(n)
  local cols, count = {}, 0
  local function ok(r, c)
    for pr = 1, r - 1 do local pc = cols[pr] if pc == c or math.abs(pc - c) == r - pr then return false end end
    return true
  end
  local function place(r)
    if r > n then count = count + 1 return end
    for c = 1, n do if ok(r, c) then cols[r] = c place(r + 1) end end
  end
  place(1)
  return count
end
print(queens(8))
local parts = {}
for i = 1, 1000 do parts[#parts + 1] = string.format("%03d", i % 1000) end
local joined = table.concat(parts)
print(#joined, joined:sub(1, 12), joined:sub(-9))
local acc = 0.0
for i = 1, 100000 do acc = acc + 1 / i end
print(string.format("%.15f", acc), acc)
local x = 1.0 for i = 1, 50 do x = x * 1.1 end
print(x, string.format("%.6g", x), math.floor(x), math.fmod(x, 7))
print(os.time({year = 2020, month = 1, day = 1, hour = 12}) - os.time({year = 2019, month = 12, day = 31, hour = 12}))
print(os.date("!%Y-%m-%d %H:%M:%S", 86400 * 365), type(os.clock()), os.getenv("CFREE_SURELY_UNSET"))
local tmp = os.tmpname()
local fh = assert(io.open(tmp, "w")) fh:write("line1\n", 42, "\n", 3.5, "\nlast") fh:close()
for line in io.lines(tmp) do io.write("[", line, "]") end print()
fh = io.open(tmp) print(fh:read("n", "n", "l", "a")) fh:close()
os.remove(tmp)
print(math.ult(1, -1), string.format("%d", -0), 5 // 0.0, -5 % math.huge, math.fmod(5, math.huge))
math.randomseed(42) local r1 = math.random(1, 1000000) math.randomseed(42) print(r1 == math.random(1, 1000000))
