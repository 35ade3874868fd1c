"""Parts of the SDK that do not need a running VM: types, calldata, storage model, schema."""
