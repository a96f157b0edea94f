-- Submitting an attempt counts once, so each request submits a different open attempt,
-- each as its own learner: run.py writes a line per attempt to WRK_PATHS (its address
-- and its learner's session key) and the form to WRK_BODY. wrk's two threads take
-- alternate lines, so no attempt is submitted twice.
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  submissions = {}
  for line in io.lines(os.getenv("WRK_PATHS")) do
    local path, session = line:match("^(%S+)%s+(%S+)$")
    submissions[#submissions + 1] = {path = path, session = session}
  end
  index = id + 1
  -- The CSRF cookie (from -H) is not tied to a session, so every learner can send it.
  csrf = wrk.headers["Cookie"]:match("csrftoken=([^;]+)")
end

function request()
  local submission = submissions[index] or submissions[#submissions]
  -- Out of open attempts, the last one again: run.py reports that as running out.
  index = index + 2
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "sessionid=" .. submission.session .. "; csrftoken=" .. csrf,
  }
  return wrk.format("POST", submission.path, headers, os.getenv("WRK_BODY"))
end
