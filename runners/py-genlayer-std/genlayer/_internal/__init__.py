"""SDK internals that need the VM: the message, host requests."""
