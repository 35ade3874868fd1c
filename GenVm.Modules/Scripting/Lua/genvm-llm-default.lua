-- GenVM for .NET: default LLM script (modules.md §5.4, §3.7). Tries each candidate backend once with its first
-- matching model; a module error moves on to the next backend, any other error is fatal, and when every candidate
-- failed the prompt fails with NO_PROVIDER_FOR_PROMPT.
local lib = require("lib-genvm")
local llm = require("lib-llm")

-- Candidates in configuration order (the reference's order is Lua's `pairs`, i.e. arbitrary), then any others
-- sorted by name, so our runs are reproducible.
local function ordered_names(set, order)
  local names, listed = {}, {}
  for _, name in ipairs(order or {}) do
    if set[name] ~= nil and not listed[name] then
      names[#names + 1] = name
      listed[name] = true
    end
  end
  local rest = {}
  for name in pairs(set) do
    if not listed[name] then rest[#rest + 1] = name end
  end
  table.sort(rest)
  for _, name in ipairs(rest) do names[#names + 1] = name end
  return names
end

local function run(ctx, mapped)
  local search_in = llm.select_providers_for(mapped.prompt, mapped.format)
  local backends = ordered_names(search_in, llm.rs.provider_order)
  lib.log({ level = "debug", message = "searching providers", format = mapped.format, search_in = backends })

  local failures = {}
  for _, backend in ipairs(backends) do
    local models = search_in[backend].models
    local model = ordered_names(models, (llm.rs.model_order or {})[backend])[1]
    if model == nil then goto continue end

    mapped.prompt.use_max_completion_tokens = models[model].use_max_completion_tokens == true
    local ok, result = pcall(llm.exec_prompt_in_provider, ctx, {
      provider = backend,
      model = model,
      prompt = mapped.prompt,
      format = mapped.format,
    })
    if ok then
      result.consumed_gen = 0
      return result
    end

    local module_error = lib.rs.as_user_error(result)
    if module_error == nil then error(result, 0) end
    local status = module_error.ctx and module_error.ctx.status
    failures[#failures + 1] = { backend = backend, model = model, causes = module_error.causes, status = status }
    if llm.overloaded_statuses[status] then
      lib.log({ level = "warning", message = "provider overloaded", backend = backend, model = model, status = status })
    else
      lib.log({ level = "error", message = "provider failed", backend = backend, model = model, causes = module_error.causes })
    end
    ::continue::
  end

  -- Unlike the reference, the context carries no prompt text (docs/decisions.md "LLM: in-process module error surface").
  lib.rs.user_error({
    causes = { "NO_PROVIDER_FOR_PROMPT" },
    fatal = true,
    ctx = { search_in = backends, failures = failures },
  })
end

function ExecPrompt(ctx, args, remaining_gen)
  args.prompt = lib.rs.filter_text(args.prompt, { "NFKC", "RmZeroWidth", "NormalizeWS" })
  return run(ctx, llm.exec_prompt_transform(args))
end

function ExecPromptTemplate(ctx, args, remaining_gen)
  return run(ctx, llm.exec_prompt_template_transform(args))
end
