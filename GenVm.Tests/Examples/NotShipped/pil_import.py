# { "Depends": "py-genlayer:1jb45aa8ynh2a9c9xn3b7qqh8sm5q93hwfp7jqmwsfhh8jpz09h6" }

# Imports PIL (and numpy) only inside methods, in every VM kind: each ends with VMError("invalid_contract"), also
# where the contract catches ImportError; the deploy and the methods that do not import them work.
from genlayer import *


def _load_pil() -> str:
    from PIL import Image

    return Image.__name__


def _guarded_numpy() -> str:
    try:
        import numpy  # noqa: F401
    except ImportError:
        return 'fallback without numpy'
    return 'numpy'


class Thumbnails(gl.Contract):
    count: u32

    def __init__(self):
        self.count = 1

    @gl.public.write
    def bump(self) -> int:
        self.count += 1
        return self.count

    @gl.public.write
    def thumbnail(self) -> str:
        self.count += 100  # dropped: the VM ends before returning
        return _load_pil()

    @gl.public.view
    def guarded(self) -> str:
        return _guarded_numpy()

    @gl.public.view
    def in_sandbox(self) -> str:
        return repr(gl.vm.spawn_sandbox(_load_pil))

    @gl.public.write
    def in_nondet(self) -> str:
        return gl.vm.run_nondet_unsafe(_load_pil, lambda leaders: True)
