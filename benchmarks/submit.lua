-- Submitting an attempt counts once, so each request submits a different open attempt:
-- run.py writes their addresses to WRK_PATHS and the form to WRK_BODY. wrk's two
-- threads take alternate lines, so no attempt is submitted twice.
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("WRK_PATHS")) do
    paths[#paths + 1] = line
  end
  index = id + 1
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  local path = paths[index]
  if path == nil then
    -- Out of open attempts: the last one again, which run.py reports as running out.
    path = paths[#paths]
  end
  index = index + 2
  -- No headers argument: wrk then sends its own, with the session cookie from -H.
  return wrk.format("POST", path, nil, os.getenv("WRK_BODY"))
end
