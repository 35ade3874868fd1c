// GenVm.Modules: LLM, web, Lua and WebSocket adapters.
