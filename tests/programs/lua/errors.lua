-- error handling: pcall, xpcall with traceback handler, error objects, levels, assert, tostring of errors
print(pcall(error, "msg"))
print(pcall(error, "msg", 0))
print(pcall(error))
print(type(select(2, pcall(error, {1, 2}))))
local function lvl() error("at level 2", 2) end
local ok, e = pcall(function() lvl() end)
print(ok, e)
print(select(2, pcall(function() local x = nil; return x.y end)))
print(select(2, pcall(function() return 1 + {} end)))
print(select(2, pcall(function() return #5 end)))
print(select(2, pcall(function() return ("x"):bad() end)))
print(select(2, pcall(function() return 1 // 0 end)))
print(select(2, pcall(function() return math.tointeger(2^63) or (1 < "x") end)))
print(select(2, pcall(string.format, "%d", 1.5)))
print(xpcall(function() error("deep") end, function(m) return "handled: " .. m end))
print(xpcall(function(a, b) return a + b end, print, 3, 4))
print(pcall(assert, false, "assertion msg"), pcall(assert, nil), pcall(assert, 1, 2))
local depth = 0
local function rec() depth = depth + 1; return rec() + 1 end
local ok2, e2 = pcall(rec)
print(ok2, e2:match("stack overflow") ~= nil, depth > 1000)
local mt = {__tostring = function(s) return "E(" .. s.v .. ")" end}
local ok3, e3 = pcall(function() error(setmetatable({v = 7}, mt)) end)
print(ok3, tostring(e3))
-- error inside metamethod and in sort comparator
print(pcall(table.sort, {3, 2, 1}, function(a, b) error("cmp") end))
print(pcall(function() return setmetatable({}, {__index = function() error("idx") end}).__x end))
print(string.format("%s", select(2, load("return +"))))
print(load("return 2 + 3")(), load("syntax error here"))
local f = load("local a, b = ... return a * b")
print(f(6, 7))
local env = {y = 5}
print(load("return y", "chunk", "t", env)())
print(pcall(load, "x", "c", "b"))
