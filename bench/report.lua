-- wrk script for make bench: after the run, print one parseable line
--   wrk-report requests=N duration_us=N rps=F p50_us=F p99_us=F non2xx=N connect=N read=N write=N timeout=N
-- non2xx counts every response outside 200-299 (wrk's own errors.status counts only >= 400).
-- Headers such as Authorization come from the command line (-H), so one script serves all servers.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

non2xx = 0

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local errors = summary.errors
  io.write(string.format(
    "wrk-report requests=%d duration_us=%d rps=%.3f p50_us=%.1f p99_us=%.1f non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), bad,
    errors.connect, errors.read, errors.write, errors.timeout))
end
