-- garbage collector: allocation churn, incremental and generational modes, string interning
local function churn(n)
  local keep = {}
  for i = 1, n do
    local t = {i, tostring(i), {i}}
    if i % 100 == 0 then keep[#keep + 1] = t end
  end
  return #keep
end
print(churn(200000))
collectgarbage("collect")
local before = collectgarbage("count")
print(type(before), before > 0)
print(collectgarbage("incremental"))
print(churn(50000))
print(collectgarbage("generational"))
print(churn(50000))
print(collectgarbage("incremental"))
print(collectgarbage("step", 0) ~= nil, collectgarbage("isrunning"))
collectgarbage("stop") print(collectgarbage("isrunning")) collectgarbage("restart")
local strs = {}
for i = 1, 10000 do strs[i] = string.rep("s", i % 50) .. i end
local total = 0 for i = 1, #strs do total = total + #strs[i] end
print(total)
-- resurrection via __gc
local saved
do
  setmetatable({name = "phoenix"}, {__gc = function(o) saved = o end})
end
collectgarbage() collectgarbage()
print(saved and saved.name)
-- closures over upvalues surviving collections
local fs = {}
for i = 1, 1000 do fs[i] = function() return i * 2 end end
collectgarbage()
local s = 0 for i = 1, #fs do s = s + fs[i]() end
print(s)
