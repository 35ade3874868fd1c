-- GenVM for .NET: LLM helpers (modules.md §5.3, §3.6, §3.7). Our own implementation of the documented API.
local lib = require("lib-genvm")

local M = {}

M.rs = __llm
M.exec_prompt_in_provider = __llm.exec_prompt_in_provider
M.providers = __llm.providers
M.templates = __llm.templates

M.overloaded_statuses = { [408] = true, [429] = true, [503] = true, [504] = true, [529] = true }

local JSON_SYSTEM_MESSAGE = "respond with a valid json object"

-- Copy of the providers keeping only models that pass `keep`; backends left without models are dropped.
local function filter_providers(keep)
  local result = {}
  for backend, data in pairs(M.providers) do
    local models = {}
    local any = false
    for name, model in pairs(data.models) do
      if keep(model) then
        models[name] = model
        any = true
      end
    end
    if any then result[backend] = { models = models } end
  end
  return result
end

M.providers_with_json_support = filter_providers(function(m) return m.supports_json end)
M.providers_with_image_support = filter_providers(function(m) return m.supports_image end)
M.providers_with_image_and_json_support = filter_providers(function(m) return m.supports_json and m.supports_image end)

local function is_empty(t) return next(t) == nil end

lib.log({ level = "debug", message = "llm providers", all = M.providers, json = M.providers_with_json_support,
  image = M.providers_with_image_support, image_and_json = M.providers_with_image_and_json_support })
if is_empty(M.providers_with_json_support) then
  lib.log({ level = "error", message = "no provider with json support detected" })
end
if is_empty(M.providers_with_image_support) then
  lib.log({ level = "warning", message = "no provider with image support detected" })
end
if is_empty(M.providers_with_image_and_json_support) then
  lib.log({ level = "warning", message = "no provider with image AND json support detected" })
end

function M.exec_prompt_transform(args)
  local format = args.response_format
  if format == nil or format == __dflt.null then format = "text" end
  local system = nil
  if format == "json" then system = JSON_SYSTEM_MESSAGE end
  return {
    prompt = {
      system_message = system,
      user_message = args.prompt,
      temperature = 0.7,
      images = args.images or {},
      max_tokens = 1000,
      use_max_completion_tokens = false,
    },
    format = format,
  }
end

function M.select_providers_for(prompt, format)
  local has_images = prompt.images ~= nil and #prompt.images > 0
  local structured = format == "json" or format == "bool"
  if structured and has_images then return M.providers_with_image_and_json_support end
  if structured then return M.providers_with_json_support end
  if has_images then return M.providers_with_image_support end
  return M.providers
end

local TEMPLATES = {
  EqComparative = { id = "eq_comparative", format = "bool" },
  EqNonComparativeValidator = { id = "eq_non_comparative_validator", format = "bool" },
  EqNonComparativeLeader = { id = "eq_non_comparative_leader", format = "text" },
}

function M.exec_prompt_template_transform(args)
  local known = TEMPLATES[args.template]
  if known == nil then error("unknown template " .. tostring(args.template), 2) end
  local template = M.templates[known.id]
  local user = template.user
  for name, value in pairs(args) do
    if name ~= "template" then
      -- `%` in the value is escaped so it is inserted literally by gsub.
      local literal = string.gsub(tostring(value), "%%", "%%%%")
      user = string.gsub(user, "#{" .. name .. "}", literal)
    end
  end
  return {
    prompt = {
      system_message = template.system,
      user_message = user,
      temperature = 0.7,
      images = {},
      max_tokens = 1000,
      use_max_completion_tokens = false,
    },
    format = known.format,
  }
end

return M
