-- wrk script: POST /next/<random user> with a random {"track", "time"} body.
-- Users 0..9999 and tracks 0..(TRACKS-1) like the default world.
local users = tonumber(os.getenv("BENCH_USERS") or "10000")
local tracks = tonumber(os.getenv("BENCH_TRACKS") or "50000")
math.randomseed(os.time())

request = function()
  local user = math.random(0, users - 1)
  local body = string.format('{"track": %d, "time": %.2f}', math.random(0, tracks - 1), math.random())
  return wrk.format("POST", "/next/" .. user, {["Content-Type"] = "application/json"}, body)
end
