-- wrk script for bench/load.py: optional session cookies (one per line in the file given
-- after --), each connection's requests spread over them; with WRK_PATHS="path path ..."
-- each session goes through those paths in order, from a place of its own, as a learner
-- moves from lesson to lesson; with WRK_THINK_MS="min max" each connection waits that long
-- (uniform) before its next request, like a person reading the page; prints one JSON line
-- at the end.
local sessions = {}
local next_session = 0
local paths = {}
local path_of = {}

for path in (os.getenv("WRK_PATHS") or ""):gmatch("%S+") do
  paths[#paths + 1] = path
end

local think = os.getenv("WRK_THINK_MS")
if think and #think > 0 then
  local low, high = think:match("(%d+)%s+(%d+)")
  low, high = tonumber(low), tonumber(high)
  function delay()
    return math.random(low, high)
  end
end

function init(args)
  if args[1] then
    for line in io.lines(args[1]) do
      if #line > 0 then sessions[#sessions + 1] = line end
    end
  end
end

function request()
  if #sessions == 0 then
    return wrk.format("GET")
  end
  next_session = next_session % #sessions + 1
  local path = nil
  if #paths > 0 then
    path_of[next_session] = (path_of[next_session] or next_session) % #paths + 1
    path = paths[path_of[next_session]]
  end
  return wrk.format("GET", path, { Cookie = "sessionid=" .. sessions[next_session] })
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "max_ms": %.2f, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency.max / 1e3,
    e.connect, e.read, e.write, e.status, e.timeout))
end
