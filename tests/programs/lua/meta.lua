-- metatables, OOP, inheritance, __index/__newindex/__call/__eq/__lt/__le/__concat/__len/__close
local Vec = {}
Vec.__index = Vec
function Vec.new(x, y) return setmetatable({x = x, y = y}, Vec) end
function Vec.__add(a, b) return Vec.new(a.x + b.x, a.y + b.y) end
function Vec.__mul(a, k) return Vec.new(a.x * k, a.y * k) end
function Vec.__eq(a, b) return a.x == b.x and a.y == b.y end
function Vec.__lt(a, b) return a:len2() < b:len2() end
function Vec.__le(a, b) return a:len2() <= b:len2() end
function Vec.__tostring(v) return string.format("(%g, %g)", v.x, v.y) end
function Vec.__concat(a, b) return tostring(a) .. tostring(b) end
function Vec.__len(v) return 2 end
function Vec.__unm(v) return Vec.new(-v.x, -v.y) end
function Vec:len2() return self.x * self.x + self.y * self.y end
local a, b = Vec.new(1, 2), Vec.new(3, 4.5)
print(tostring(a + b), tostring(a * 3), a == Vec.new(1, 2), a < b, b <= a, a .. b, #a, tostring(-a))

local Animal = {}
Animal.__index = Animal
function Animal.new(name) return setmetatable({name = name}, Animal) end
function Animal:speak() return self.name .. " makes a sound" end
local Dog = setmetatable({}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name) local d = Animal.new(name); return setmetatable(d, Dog) end
function Dog:speak() return self.name .. " barks; " .. Animal.speak(self) end
print(Dog.new("Rex"):speak())

local log = {}
local proxy = setmetatable({}, {
  __index = function(t, k) log[#log + 1] = "get " .. tostring(k); return k .. "!" end,
  __newindex = function(t, k, v) log[#log + 1] = "set " .. tostring(k); rawset(t, k, v) end,
  __call = function(self, x, y) return x * y end,
})
print(proxy.foo, proxy(6, 7))
proxy.bar = 1
print(proxy.bar, table.concat(log, ","))

-- __gc and __close
do
  local order = {}
  do
    local x <close> = setmetatable({}, {__close = function() order[#order + 1] = "x" end})
    local y <close> = setmetatable({}, {__close = function() order[#order + 1] = "y" end})
  end
  print(table.concat(order, " "))
end
local collected = 0
for i = 1, 100 do setmetatable({}, {__gc = function() collected = collected + 1 end}) end
collectgarbage()
collectgarbage()
print("collected", collected)

-- weak tables
local weak = setmetatable({}, {__mode = "k"})
do local key = {} weak[key] = 1 end
weak[1] = 2
collectgarbage()
local n = 0 for _ in pairs(weak) do n = n + 1 end
print("weak entries", n)

-- rawequal, rawlen, getmetatable with __metatable
print(rawequal(a, a), rawequal(a, Vec.new(1, 2)), rawlen({1, 2, 3}), getmetatable(setmetatable({}, {__metatable = "locked"})))
print(getmetatable("abc").__index == string)
