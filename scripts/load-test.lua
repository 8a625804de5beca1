-- Requests for scripts/load-test: each connection walks this list from its own starting point. Article pages use
-- the ids the script found (MEDREF_IDS, space-separated).
local paths = {
  "/?q=numbness",
  "/api/search?q=numbness&kind=symptoms",
  "/?q=pins+and+needles",
  "/api/search?q=what+tests+diagnose+diabetes",
  "/?q=treatment+for+gout&kind=treatment",
  "/api/search?q=fever+headache&limit=20",
  "/?q=numbnes",
  "/healthz",
  "/?q=%22lower+back%22+spasm*",
  "/api/search?q=chest+pain+shortness+of+breath&facets=1",
}
local ids = os.getenv("MEDREF_IDS") or ""
for id in string.gmatch(ids, "%S+") do
  table.insert(paths, "/doc/" .. id)
  table.insert(paths, "/api/doc/" .. id)
end

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7)
end

local n = 0
function request()
  n = n + 1
  local path = paths[((n + (offset or 0)) % #paths) + 1]
  return wrk.format("GET", path)
end
