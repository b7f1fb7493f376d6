-- Rotates over request targets (path and query string, one a line) read from a file:
--   wrk -t2 -c8 -d10s --latency -s bench/wrk/rotate.lua http://127.0.0.1:PORT -- targets.txt
-- Every request is a GET with wrk's headers (-H). Each thread starts at a different point of
-- the list, so concurrent connections do not ask for the same document at the same moment.

local next_id = 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end

local targets = {}
local position = 0

function init(args)
  local file = args[1]
  if file == nil then
    error("rotate.lua: give the targets file after --")
  end
  for line in io.lines(file) do
    if #line > 0 then
      targets[#targets + 1] = line
    end
  end
  if #targets == 0 then
    error("rotate.lua: no targets in " .. file)
  end
  position = ((thread_id or 0) * 7919) % #targets
end

function request()
  position = position % #targets + 1
  return wrk.format(nil, targets[position])
end
