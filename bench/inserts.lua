-- wrk script: data-API inserts of new marketplace accounts, each with an id
-- no other request uses: thread N of the process numbered by $REPLICA
-- (0-999) counts its own requests. The admin token is not needed (the
-- control API is open unless --admin-token is set). At the end it prints
-- how many answers were not 201, by status ("status 503: 4").
local replica = tonumber(os.getenv("REPLICA") or "0")
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local n = 0
statuses = {} -- global: done() reads it from each thread
function request()
  n = n + 1
  local id = string.format("00000000-0000-4%03d-8%03d-%012d", replica % 1000, tid % 1000, n)
  local body = '{"id":"' .. id .. '","name":"Bench ' .. id .. '","externalId":"w' .. id ..
    '","countryCode":"DE","accessTypes":["CUSTOMER"],"defaultRole":"USER","status":"ACTIVE",' ..
    '"website":null,"emailAddress":null,"phoneNumber":null,"createdOn":"2026-01-01T00:00:00Z"}'
  return wrk.format("POST", "/__standin/apis/marketplace/collections/accounts/records",
    {["Content-Type"] = "application/json"}, body)
end

function response(status)
  if status ~= 201 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done()
  for _, t in ipairs(threads) do
    for code, k in pairs(t:get("statuses")) do
      io.write(string.format("status %d: %d\n", code, k))
    end
  end
end
