-- wrk's residents for bench/submit.py: each request files a new report (no photos) through
-- POST /api/v1/reports as the phone page does (JSON, same-origin token, a new Idempotency-Key), at a
-- random point over central Huế. The 201s' tracking codes are written to PHANANH_ACKED at the end, so
-- that the benchmark can count them in the database. bench/submit.py sets the environment.
local token, cookie = os.getenv("PHANANH_CSRF"), os.getenv("PHANANH_COOKIE")
local run_id, acked_path = os.getenv("PHANANH_RUN"), os.getenv("PHANANH_ACKED")
local categories = {"garbage", "illegal_dumping", "encroachment", "pothole", "street_light", "illegal_parking"}
local threads = {}
local counter = 0

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  codes = {}
  math.randomseed(os.time() * 100 + thread_id)
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"category": "%s", "description": "[synthetic benchmark %s] Rác thải tập kết sai nơi quy định", ' ..
    '"lat": %.6f, "lon": %.6f, "acknowledge_duplicate": true}',
    categories[math.random(#categories)], run_id, 16.440 + math.random() * 0.050, 107.555 + math.random() * 0.060)
  local headers = {["Content-Type"] = "application/json", ["X-CSRFToken"] = token, ["Cookie"] = cookie,
                   ["Idempotency-Key"] = string.format("%s-%d-%d-%d", run_id, thread_id, counter, math.random(1e9))}
  return wrk.format("POST", "/api/v1/reports", headers, body)
end

function response(status, headers, body)
  if status == 201 then
    local code = string.match(body, '"tracking_code":%s*"([%w-]+)"')
    if code then table.insert(codes, code) end
  end
end

function done(summary, latency, requests)
  local out = assert(io.open(acked_path, "w"))
  for _, thread in ipairs(threads) do
    for _, code in ipairs(thread:get("codes")) do out:write(code, "\n") end
  end
  out:close()
end
