-- Full checkout, one customer per connection (run with threads = connections, so each thread's
-- Lua state is one connection's state): add item A, add item B, POST /api/orders with a fresh
-- Idempotency-Key and a succeeding card; again and again. BENCH_CUSTOMERS has one line per
-- customer: "<token> <productA> <productB>". With BENCH_CHECKOUT_INTERVAL_US, each connection starts a
-- checkout at most once per that interval (a fixed total rate, for CPU per checkout at equal load).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local customers = read_lines(os.getenv("BENCH_CUSTOMERS"))
local run_id = os.getenv("BENCH_RUN_ID") or "run"

function setup(thread)
  register_thread(thread)
  local token, a, b = string.match(customers[(#threads - 1) % #customers + 1], "^(%S+) (%S+) (%S+)$")
  thread:set("token", token)
  thread:set("product_a", a)
  thread:set("product_b", b)
end

local step, seq, started_checkout, started_order = 0, 0, 0, 0
local add_headers, order_headers, add_a, add_b
local order_body = '{"cardNumber":"4242424242424242"}'
order_us, checkout_us, paid = {}, {}, 0

function init(args)
  local auth = "Bearer " .. token
  add_headers = { ["Content-Type"] = "application/json", ["Authorization"] = auth }
  order_headers = { ["Content-Type"] = "application/json", ["Authorization"] = auth }
  add_a = string.format('{"productId":"%s","quantity":1}', product_a)
  add_b = string.format('{"productId":"%s","quantity":1}', product_b)
end

-- Paced: the next checkout's first request waits for this connection's next slot; a late slot is
-- dropped, not made up in a burst. The first slot is spread over one interval, so connections interleave.
local interval_us = tonumber(os.getenv("BENCH_CHECKOUT_INTERVAL_US") or "0")
local next_start_us
function delay()
  if interval_us <= 0 or step ~= 0 then return 0 end
  local now = now_us()
  if next_start_us == nil then
    math.randomseed(tid * 7919)
    next_start_us = now + math.random() * interval_us
  end
  local wait_us = next_start_us - now
  if wait_us < 0 then
    next_start_us = now + interval_us
    return 0
  end
  next_start_us = next_start_us + interval_us
  return math.floor(wait_us / 1000)
end

function request()
  mark_request()
  if step == 0 then
    started_checkout = now_us()
    return wrk.format("POST", "/api/cart/items", add_headers, add_a)
  elseif step == 1 then
    return wrk.format("POST", "/api/cart/items", add_headers, add_b)
  end
  seq = seq + 1
  order_headers["Idempotency-Key"] = string.format("%s-%d-%d", run_id, tid, seq)
  started_order = now_us()
  return wrk.format("POST", "/api/orders", order_headers, order_body)
end

function response(status, headers, body)
  if step == 2 then
    local now = now_us()
    order_us[#order_us + 1] = now - started_order
    checkout_us[#checkout_us + 1] = now - started_checkout
    if status == 201 then paid = paid + 1 end
  end
  step = (step + 1) % 3
  note_response(status, body, 201, step == 0) -- only stop between checkouts
end

function done(summary, latency, requests)
  report(summary, latency, { "order_us", "checkout_us" })
  local total = 0
  for _, t in ipairs(threads) do total = total + (t:get("paid") or 0) end
  io.write(string.format('BENCH_PAID %d\n', total))
end
