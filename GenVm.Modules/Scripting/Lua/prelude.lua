-- GenVM for .NET: glue between the native host and the scripts (modules.md §5.1, §5.2).
-- Not a library: run once per Lua state before the main script. Arguments come from LuaScriptState.
local raw_call, ASYNC, raw_embedded, hook_pending = ...

local co_yield, co_resume, co_create, co_status = coroutine.yield, coroutine.resume, coroutine.create, coroutine.status
local pack, unpack, concat = table.pack, table.unpack, table.concat
local error, type, setmetatable, getmetatable, load = error, type, setmetatable, getmetatable, load

-- Module errors ({causes, fatal, ctx}) are tables marked with this metatable, so that as_user_error can tell them
-- from any other error value a script raises.
local ModuleError = { __name = "genvm.module_error" }
ModuleError.__tostring = function(e)
  local causes = {}
  for i, c in ipairs(e.causes or {}) do causes[i] = tostring(c) end
  return "module error: " .. concat(causes, ", ")
end

-- raw_call answers a status and a value: 1 ok, 2 plain error, 3 pending (value = task handle), 4 module error.
-- A pending call suspends the execution's coroutine; the host resumes it with the final status and value.
local function finish(status, value)
  if status == 1 then return value end
  if status == 4 then error(setmetatable(value, ModuleError), 0) end
  error(value, 0)
end

local function host(name)
  return function(...)
    local status, value = raw_call(name, ...)
    if status == 3 then status, value = co_yield(ASYNC, value) end
    return finish(status, value)
  end
end

local function user_error(e)
  if type(e) ~= "table" or type(e.causes) ~= "table" or type(e.fatal) ~= "boolean" or e.ctx == nil then
    error("user_error: expected a table {causes = {str...}, fatal = bool, ctx = table}", 2)
  end
  error(setmetatable({ causes = e.causes, fatal = e.fatal, ctx = e.ctx }, ModuleError), 0)
end

local function as_user_error(e)
  if type(e) == "table" and getmetatable(e) == ModuleError then
    return { causes = e.causes, fatal = e.fatal, ctx = e.ctx }
  end
  return nil
end

-- A script may run host calls inside its own coroutines: their suspensions (and interrupt requests) are passed
-- through to the host and the results handed back, so nothing is visible to the script.
local function forward(co, r)
  while r[1] and co_status(co) == "suspended" do
    if r.n >= 3 and r[2] == ASYNC then
      local back = pack(co_yield(ASYNC, r[3]))
      r = pack(co_resume(co, unpack(back, 1, back.n)))
    elseif r.n == 1 and hook_pending() then
      co_yield()
      r = pack(co_resume(co))
    else
      break
    end
  end
  return r
end

coroutine.resume = function(co, ...)
  local r = forward(co, pack(co_resume(co, ...)))
  return unpack(r, 1, r.n)
end

coroutine.wrap = function(f)
  local co = co_create(f)
  return function(...)
    local r = forward(co, pack(co_resume(co, ...)))
    if not r[1] then error(r[2], 0) end
    return unpack(r, 2, r.n)
  end
end

-- require: the configured lua_path (package.path, set by the host), then our embedded libraries. Native modules are
-- never loaded (no cpath searchers, no loadlib).
package.cpath = ""
package.loadlib = nil
local searchers = package.searchers
searchers[4] = nil
searchers[3] = function(name)
  local source = raw_embedded(name)
  if source == nil then return "\n\tno embedded library '" .. name .. "'" end
  local chunk, err = load(source, "=" .. name .. ".lua", "t")
  if chunk == nil then error(err, 0) end
  return chunk, name
end

local factory = { host = host, user_error = user_error, as_user_error = as_user_error }
return ModuleError, factory
