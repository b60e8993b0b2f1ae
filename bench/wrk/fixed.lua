-- One request, sent over and over: creates, bulk creates and stats reads.
--
-- Arguments: method, path, and optionally a file whose bytes are the JSON body.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local report = require("report")

local prepared
sent = 0

function init(args)
  local body
  if args[3] then
    local file = assert(io.open(args[3], "rb"))
    body = file:read("*a")
    file:close()
  end
  local headers = {}
  if body then headers["Content-Type"] = "application/json" end
  -- hop's API needs a key; the harness exports the one hop wrote (harness/servers.py).
  local key = os.getenv("HOP_BENCH_API_KEY")
  if key and key ~= "" then headers["Authorization"] = "Bearer " .. key end
  prepared = wrk.format(args[1], args[2], headers, body)
end

function request()
  sent = sent + 1
  return prepared
end

setup = report.setup
done = report.done
