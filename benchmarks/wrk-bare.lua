-- The bare-insert yardstick with wrk, a native load tool, as a cross-check of the Java load driver's figure:
--   wrk -t2 -c32 -d30s -s benchmarks/wrk-bare.lua http://127.0.0.1:8090/api/v1/pos/bench/insert
-- (engine started with LOYALTY_BENCH_ENDPOINT=true; the demo programme's key of store S001).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Api-Key"] = "demo-pos-S001"
wrk.body = '{"payload":"wrk"}'
