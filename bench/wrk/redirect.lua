-- GET /{code} for the links bench/harness/dataset.py preloads: code(i) for i in [0, n).
--
-- Arguments: n, then "random" (uniformly random codes; the full requests are built once in init so
-- that a request costs wrk a table lookup) or "sequential" offset (codes offset, offset+1, ... modulo
-- n: the warm-up uses it to request every link once).
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local report = require("report")

-- Must match dataset.py: 7 characters of base62 (the alphabet in ASCII order), i + 62^6, so codes
-- are unique, ascending in i, and look like the codes hop generates.
local alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
local function code(i)
  local n = i + 62 ^ 6
  local digits = {}
  for d = 7, 1, -1 do
    local r = n % 62
    digits[d] = alphabet:sub(r + 1, r + 1)
    n = (n - r) / 62
  end
  return table.concat(digits)
end

-- A browser's User-Agent: hop checks it against its bot list on every redirect, as it would in use.
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"

local n, mode, next_index
local requests = {}
sent = 0

function init(args)
  n = tonumber(args[1])
  mode = args[2]
  next_index = tonumber(args[3] or "0")
  math.randomseed(os.time())
  if mode == "random" then
    for i = 0, n - 1 do
      requests[i] = wrk.format("GET", "/" .. code(i))
    end
  end
end

function request()
  sent = sent + 1
  if mode == "random" then
    return requests[math.random(0, n - 1)]
  end
  local i = next_index % n
  next_index = next_index + 1
  return wrk.format("GET", "/" .. code(i))
end

setup = report.setup
done = report.done
