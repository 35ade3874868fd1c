# A second module of the multi-file contract (imported as contract.lib).
def double(n: int) -> int:
    return 2 * n
