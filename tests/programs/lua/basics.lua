-- closures, varargs, integer/float arithmetic, goto, string basics
local function counter()
  local n = 0
  return function(k) n = n + (k or 1); return n end
end
local c1, c2 = counter(), counter()
print(c1(), c1(5), c2(), c1())

local function sum(...)
  local s = 0
  for i = 1, select('#', ...) do s = s + (select(i, ...)) end
  return s, select('#', ...)
end
print(sum(1, 2, 3.5, 4))
print(table.unpack({1, 2, 3}, 2))

-- integers and floats
print(7 // 2, 7.0 // 2, -7 // 2, 7 % -3, -7 % 3, 7.5 % 2, 2^10, 10 / 4)
print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger)
print(1e15, 1e16, 123456789012345678, 0.1 + 0.2, 1/3, -0.0, 100 // 0.0, -100 // 0.0)
print(3 | 5, 3 & 5, 3 ~ 5, ~0, 1 << 62, 1 << 63, 1 << 64, -1 >> 1)
print(math.type(1), math.type(1.0), math.type("1"), 10 == 10.0, math.tointeger(3.0))
print(string.format("%5.2f|%-8d|%x|%X|%o|%e|%g|%g|%g", 3.14159, 42, 255, 255, 8, 12345.678, 0.0001, 1e20, 100))
print(string.format("%q", "a\nb\0c\"d"), string.format("%q", 1/0), string.format("%q", 2^63))
print(string.format("%.14g %.17g %a", math.pi, 0.1, 1.0))
print(tostring(1e100), tostring(-1e-100), 2^53, 2^53 + 1, math.huge, -math.huge)
print(math.floor(-3.5), math.ceil(-3.5), math.abs(-7), math.max(3, 9, 1), math.min(2.5, 1))
print(math.fmod(7, 3), math.fmod(-7, 3), math.sqrt(2), math.sin(1), math.exp(1), math.log(8, 2))
print(tonumber("0x10"), tonumber("  12  "), tonumber("1e2"), tonumber("z", 36), tonumber("10", 2), tonumber("abc"))
print(8 // 3 * 3 + 8 % 3, 2^-1, (-2)^2, -2^2)

-- goto
do
  local i = 1
  ::top::
  if i <= 3 then io.write(i, " "); i = i + 1; goto top end
  print()
end
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto continue end
    io.write(i, ":", j, " ")
    ::continue::
  end
end
print()

-- numeric for with float steps, while, repeat
for x = 1, 2, 0.25 do io.write(x, " ") end print()
for i = 10, 1, -3 do io.write(i, " ") end print()
local k = 0 repeat k = k + 1 until k * k > 50 print(k)

-- strings
local s = "Hello, World"
print(#s, s:upper(), s:lower(), s:sub(2, 5), s:sub(-5), s:rep(3, "-"), s:reverse())
print(s:byte(1, 3), string.char(72, 105), ("x"):rep(0) == "")
print(("%d items"):format(3), "a" < "b", "abc" < "abd", "Z" < "a")
print(10 .. 20, 1.5 .. "", 2^63 .. "")
