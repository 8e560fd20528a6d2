-- Catalog reads: GET the paths listed in BENCH_PATHS in turn (one per line), expecting 200.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local paths = read_lines(os.getenv("BENCH_PATHS"))
local i = 0

function setup(thread) register_thread(thread) end

function init(args) i = tid or 0 end -- threads start at different paths

function request()
  mark_request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function response(status, headers, body) note_response(status, body, 200, true) end

function done(summary, latency, requests) report(summary, latency, {}) end
