-- Shared by the wrk scripts: a monotonic microsecond clock (LuaJIT FFI; wrk's own timers are not
-- reachable from Lua), per-thread bookkeeping, and the one JSON line that bench/lib/wrk.ts parses.
local ffi = require("ffi")
pcall(ffi.cdef, "typedef struct { long tv_sec; long tv_nsec; } bench_ts; int clock_gettime(int, bench_ts *);")
local ts = ffi.new("bench_ts")
function now_us()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
end

function read_lines(path)
  local lines = {}
  for line in io.lines(path) do if line ~= "" then lines[#lines + 1] = line end end
  return lines
end

-- Count bound per thread: wrk itself only bounds by time.
max_per_thread = tonumber(os.getenv("BENCH_MAX_PER_THREAD") or "0")
completed, bad, first_us, last_us, bad_sample = 0, 0, 0, 0, ""

-- Called from response(): stamps, counts, and stops this thread once its share is done.
function note_response(status, body, ok_status, at_boundary)
  local now = now_us()
  last_us = now
  completed = completed + 1
  if status ~= ok_status then
    bad = bad + 1
    if bad_sample == "" then bad_sample = tostring(status) .. " " .. string.sub(body or "", 1, 160) end
  end
  if max_per_thread > 0 and completed >= max_per_thread and at_boundary then
    io.stderr:write("bench-thread-done\n") -- the runner interrupts wrk once every thread said so
    wrk.thread:stop()
  end
end

function mark_request()
  if first_us == 0 then first_us = now_us() end
end

threads = {}
function register_thread(thread)
  threads[#threads + 1] = thread
  thread:set("tid", #threads)
end

local function json_string(s)
  return '"' .. string.gsub(s, '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end) .. '"'
end

local function percentiles(values)
  table.sort(values)
  local n = #values
  local function at(p) if n == 0 then return 0 end return values[math.max(1, math.ceil(n * p))] end
  return string.format('{"count":%d,"p50":%.1f,"p90":%.1f,"p99":%.1f,"max":%.1f}', n, at(0.5), at(0.9), at(0.99), at(1))
end

-- The JSON line: wrk's totals plus what the threads kept. `series` names per-thread latency tables.
function report(summary, latency, series)
  local first, last, badTotal, sample = math.huge, 0, 0, ""
  local merged = {}
  for _, name in ipairs(series) do merged[name] = {} end
  for _, t in ipairs(threads) do
    local f, l = t:get("first_us"), t:get("last_us")
    if f and f > 0 and f < first then first = f end
    if l and l > last then last = l end
    badTotal = badTotal + (t:get("bad") or 0)
    if sample == "" then sample = t:get("bad_sample") or "" end
    for _, name in ipairs(series) do
      local values = t:get(name) or {}
      local into = merged[name]
      for i = 1, #values do into[#into + 1] = values[i] end
    end
  end
  local e = summary.errors
  local parts = {}
  for _, name in ipairs(series) do parts[#parts + 1] = string.format('"%s":%s', name, percentiles(merged[name])) end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"wrk_duration_us":%d,"active_us":%.0f,"bad_status":%d,"bad_sample":%s,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d}%s%s}\n',
    summary.requests, summary.duration, (last > first) and (last - first) or 0, badTotal, json_string(sample),
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    #parts > 0 and "," or "", table.concat(parts, ",")))
end
