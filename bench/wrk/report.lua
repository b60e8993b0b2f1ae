-- Shared by the wrk scripts: counts the requests each thread sends and, when wrk is done, prints one
-- line "BENCH {json}" that bench/harness/wrk.py reads.
--
-- wrk's own summary counts completed responses only; the harness also needs the requests sent,
-- because a request still in flight when wrk stops may have been answered (and its click counted)
-- by the server without wrk seeing the answer. Each thread counts in its global `sent`, which
-- done() reads back through thread:get.
local report = {}
local threads = {}

function report.setup(thread)
  table.insert(threads, thread)
end

function report.done(summary, latency)
  local sent = 0
  for _, thread in ipairs(threads) do
    sent = sent + thread:get("sent")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"sent":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, sent, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end

return report
