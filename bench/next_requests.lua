-- wrk script: POST /next/<random user> with a random {"track", "time"} body.
-- Users 0..(BENCH_USERS-1) and tracks 0..(BENCH_TRACKS-1) like the default world.
-- BENCH_SESSION_LENGTH=N > 0: after a user's N-th /next the thread sends their /last, so
-- sessions are N requests long (each wrk thread owns the users u with u % threads == its
-- number, so no two threads share a session); 0 (the default): no /last, sessions only grow.
local users = tonumber(os.getenv("BENCH_USERS") or "10000")
local tracks = tonumber(os.getenv("BENCH_TRACKS") or "50000")
local session_length = tonumber(os.getenv("BENCH_SESSION_LENGTH") or "0")

-- BENCH_WRK_THREADS: wrk's -t, so that each thread knows its share of the users.
local created = 0
function setup(thread)
  thread:set("number", created)  -- a global in that thread's own Lua state
  created = created + 1
end

local stride, counts = tonumber(os.getenv("BENCH_WRK_THREADS") or "1"), {}
function init(args)
  number = number or 0
  math.randomseed(os.time() + number)
end

request = function()
  local user = math.random(0, users - 1)
  if session_length > 0 then
    user = user - user % stride + number
    if user >= users then user = number end
    local n = (counts[user] or 0) + 1
    if n > session_length then
      counts[user] = 0
      local body = string.format('{"track": %d, "time": %.2f}', math.random(0, tracks - 1), math.random())
      return wrk.format("POST", "/last/" .. user, {["Content-Type"] = "application/json"}, body)
    end
    counts[user] = n
  end
  local body = string.format('{"track": %d, "time": %.2f}', math.random(0, tracks - 1), math.random())
  return wrk.format("POST", "/next/" .. user, {["Content-Type"] = "application/json"}, body)
end
