-- tables: sort (with comparators), insert/remove/move/concat, pairs order of array part, next
local t = {}
for i = 1, 200 do t[i] = (i * 7919) % 211 end
table.sort(t)
print(t[1], t[2], t[100], t[200], #t)
local ok = true
for i = 2, #t do if t[i - 1] > t[i] then ok = false end end
print("sorted", ok)
table.sort(t, function(a, b) return a > b end)
print(t[1], t[200])
local words = {"pear", "apple", "fig", "banana", "kiwi", "cherry", "date"}
table.sort(words)
print(table.concat(words, " "))
table.sort(words, function(a, b) if #a ~= #b then return #a < #b end return a < b end)
print(table.concat(words, " "))
local recs = {}
for i = 1, 50 do recs[i] = {id = i, key = (i * 37) % 11, f = i / 7} end
table.sort(recs, function(a, b) if a.key ~= b.key then return a.key < b.key end return a.id > b.id end)
for i = 1, 50, 7 do io.write(recs[i].id, "/", recs[i].key, " ") end print()

local l = {1, 2, 3}
table.insert(l, 4) table.insert(l, 1, 0) table.insert(l, 3, 1.5)
print(table.concat(l, ","), table.remove(l), table.remove(l, 1), table.concat(l, ","))
print(table.concat(table.move({1, 2, 3, 4, 5}, 2, 4, 1), ","), table.concat({}, "x"), table.concat({1, 2, 3}, ", ", 2, 3))
print(select("#", table.unpack({1, nil, 3}, 1, 3)), table.pack(1, nil, 3).n)

local sum = 0
for i, v in ipairs({10, 20, 30, nil, 50}) do sum = sum + i * v end
print(sum)
local keys = {}
local h = {alpha = 1, beta = 2, gamma = 3, [1] = "one", [2] = "two", [3.5] = "f"}
for k in pairs(h) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
print(table.concat(keys, " "))
print(next({}), type(next), #"", #{1, 2, 3, nil}, rawget(h, "alpha"))

-- a large table with rehashing; deletion during traversal
local big = {}
for i = 1, 100000 do big[i] = i * 2 end
for i = 1, 100000, 2 do big[i] = nil end
local cnt, s = 0, 0
for k, v in pairs(big) do cnt = cnt + 1; s = s + v end
print(cnt, s)
local m = {}
for i = 1, 1000 do m["k" .. i] = i end
for k, v in pairs(m) do if v % 3 == 0 then m[k] = nil end end
cnt = 0 for _ in pairs(m) do cnt = cnt + 1 end
print(cnt)
-- integer/float keys normalisation
local nk = {} nk[1] = "int" nk[1.0] = "float" nk[2^53] = "big"
print(nk[1], #nk, nk[2^53])
