-- GenVM for .NET: default web script (modules.md §5.5, §4.4, §4.5).
local lib = require("lib-genvm")
local web = require("lib-web")

local function good_status(status)
  return (status >= 200 and status < 300) or status == 304
end

function Render(ctx, payload)
  web.check_url(payload.url)
  local service = web.rs.config.webdriver_host .. "/render?url=" .. lib.rs.url_encode(payload.url)
    .. "&mode=" .. payload.mode .. "&waitAfterLoaded=" .. tostring(payload.wait_after_loaded)
  local answer = lib.rs.request(ctx, { method = "GET", url = service, headers = {}, error_on_status = true })
  local status = tonumber(answer.headers["resulting-status"])
  if status == nil then
    error("render service answered without a resulting-status header", 0)
  end
  if not good_status(status) then
    lib.rs.user_error({
      causes = { "WEBPAGE_LOAD_FAILED" },
      fatal = false,
      ctx = { url = payload.url, status = status, body = answer.body },
    })
  end
  if payload.mode == "screenshot" then
    return { image = answer.body }
  end
  return { text = answer.body }
end

function Request(ctx, payload)
  web.check_url(payload.url)
  local ok, answer = pcall(lib.rs.request, ctx, {
    method = payload.method,
    url = payload.url,
    headers = payload.headers,
    body = payload.body,
    sign = payload.sign,
  })
  if ok then return answer end
  lib.reraise_with_fatality(answer, false)
end
