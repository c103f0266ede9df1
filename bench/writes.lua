-- wrk script for WRITES=1 bench/run.sh: each thread alternates a cheap
-- write (a data-API PATCH of one marketplace subscription, flipping a field
-- between two values of the same length, so every write changes the data and
-- moves the store's version) with the benchmarked read, so that no read finds
-- an answer kept from before the last write.
--   READ_METHOD, READ_PATH, READ_BODY_FILE (optional): the read
--   WRITE_PATH: the record to patch
local read_body = nil
if os.getenv("READ_BODY_FILE") and os.getenv("READ_BODY_FILE") ~= "" then
  local f = assert(io.open(os.getenv("READ_BODY_FILE"), "rb"))
  read_body = f:read("*a")
  f:close()
end
local read_method = os.getenv("READ_METHOD") or "GET"
local read_path = assert(os.getenv("READ_PATH"))
local write_path = assert(os.getenv("WRITE_PATH"))
local read_headers = { ["Authorization"] = "Bearer standin-admin" }
if read_body then read_headers["Content-Type"] = "application/json" end
local write_headers = { ["Content-Type"] = "application/merge-patch+json" }
local writes = {
  '{"editionName":"Business Premium"}',
  '{"editionName":"Business Premier"}',
}
local n = 0
function request()
  n = n + 1
  if n % 2 == 1 then
    return wrk.format("PATCH", write_path, write_headers, writes[math.floor(n / 2) % 2 + 1])
  end
  return wrk.format(read_method, read_path, read_headers, read_body)
end
