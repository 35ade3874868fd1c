-- GenVM for .NET: shared helpers for module scripts (modules.md §5.3). Our own implementation of the documented API.
local M = {}

M.rs = __dflt

-- Makes a value safe to log: shared or cyclic tables become references, functions and userdata become markers.
local function loggable(value, seen)
  local kind = type(value)
  if kind == "table" then
    if seen[value] then return { ["$table"] = seen[value] } end
    seen.n = seen.n + 1
    seen[value] = seen.n
    local copy = {}
    for k, v in pairs(value) do copy[k] = loggable(v, seen) end
    return copy
  elseif kind == "function" or kind == "userdata" or kind == "thread" then
    seen.n = seen.n + 1
    return { ["$" .. kind] = seen.n }
  end
  return value
end

function M.log(t)
  M.rs.log_json(loggable(t, { n = 0 }))
end

function M.get_first_from_table(t)
  if t == nil then return nil end
  for k, v in pairs(t) do return { key = k, value = v } end
  return nil
end

function M.get_first_from_table_assert(t)
  local first = M.get_first_from_table(t)
  if first == nil then error("expected non-empty table", 2) end
  return first
end

-- Re-raises a caught error; a module error gets the given fatality, anything else goes on unchanged.
function M.reraise_with_fatality(e, fatal)
  local module_error = M.rs.as_user_error(e)
  if module_error == nil then error(e, 0) end
  module_error.fatal = fatal
  M.rs.user_error(module_error)
end

return M
