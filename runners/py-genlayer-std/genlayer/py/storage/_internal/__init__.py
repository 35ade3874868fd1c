"""Implementation of the byte-exact storage model (python-sdk.md §16, §17)."""
