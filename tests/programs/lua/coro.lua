-- coroutines: generators, passing values, wrap, status, yield across pcall, errors
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i, i * i) end
    return "done"
  end)
end
local g = gen(4)
for _ = 1, 5 do print(g()) end

local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got", d, e)
  return "end", a
end)
print(coroutine.status(co), coroutine.resume(co, 1, 2))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, "x", "y"))
print(coroutine.status(co), coroutine.resume(co))

local bad = coroutine.create(function() error({code = 42}) end)
local ok, err = coroutine.resume(bad)
print(ok, type(err), err.code, coroutine.status(bad))

local inner = coroutine.wrap(function()
  local ok, v = pcall(function()
    local r = coroutine.yield("in pcall")
    error("boom " .. r)
  end)
  coroutine.yield(tostring(ok) .. " " .. tostring(v):gsub("^.-: ", ""))
  return "finished"
end)
print(inner()) print(inner("zz")) print(inner())

print(coroutine.isyieldable(), select(2, coroutine.running()))
local co2 = coroutine.create(function() print(coroutine.isyieldable(), select(2, coroutine.running())) end)
coroutine.resume(co2)

-- producer/consumer with many switches
local prod = coroutine.create(function()
  for i = 1, 10000 do coroutine.yield(i) end
end)
local total = 0
while true do
  local ok, v = coroutine.resume(prod)
  if not v then break end
  total = total + v
end
print("total", total)
local closed = coroutine.create(function() coroutine.yield() end)
coroutine.resume(closed)
print(coroutine.close(closed), coroutine.status(closed))
