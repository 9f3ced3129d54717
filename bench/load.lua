-- wrk script of bench/bench_load.sh: GET /api/v1/zaken/{id} over the demo's cases, each
-- connection its own sequence (the -H header with the API token comes from wrk).
local cases = tonumber(os.getenv("BENCH_LOAD_CASES") or "1000")
local thread_no = 0

function setup(thread)
    thread_no = thread_no + 1
    thread:set("seed", thread_no)
end

function init(args)
    math.randomseed(seed or 1)
end

function request()
    return wrk.format("GET", "/api/v1/zaken/" .. math.random(1, cases))
end
