-- GenVM for .NET: web helpers (modules.md §5.3, §4.3). Our own implementation of the documented API.
local lib = require("lib-genvm")

local M = {}

M.rs = __web
M.allowed_schemas = { http = true, https = true }

-- Raises the policy's user error (MALFORMED_URL, SCHEMA_FORBIDDEN, PORT_FORBIDDEN, TLD_FORBIDDEN; non-fatal) or
-- returns nothing. The checks are native so that redirects and browser requests get exactly the same ones.
function M.check_url(url)
  local refused = __web.url_policy_error(url)
  if refused ~= nil then
    lib.log({ level = "debug", message = "url refused", url = url, causes = refused.causes })
    lib.rs.user_error(refused)
  end
end

return M
