// GenVm.Wasm: the managed WebAssembly engine.
