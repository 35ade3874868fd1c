# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.11 sandbox/det/s, sandbox/non-det/s, §2.2 disagree_in_sandbox; python-sdk.md §10.2):
# spawn_sandbox returns Return/VMError/UserError objects and never raises; module globals changed inside do not leak.
import json

from genlayer import *


def patch_json():
    json.loads = None
    return 'patched'


def all_cases() -> list[str]:
    out = []
    out.append(repr(gl.vm.spawn_sandbox(lambda: print('inside') or 5)))
    out.append(repr(gl.vm.spawn_sandbox(lambda: exit(1))))
    out.append(repr(gl.vm.spawn_sandbox(lambda: gl.advanced.user_error_immediate('RB'))))
    out.append(repr(gl.vm.spawn_sandbox(patch_json)) + ' ' + json.loads.__name__)
    out.append(repr(gl.vm.spawn_sandbox(lambda: gl.vm.spawn_sandbox(lambda: 'nested').calldata)))
    return out


class Sandbox(gl.Contract):
    def __init__(self):
        pass

    @gl.public.write
    def det(self) -> None:
        for line in all_cases():
            print(line)
        # A deterministic sandbox may not use web or LLM (python-sdk.md §9): the SystemError ends it.
        print(repr(gl.vm.spawn_sandbox(lambda: gl.nondet.web.get('http://127.0.0.1:9/'))))
        # No nondet block inside a sandbox (§10.2): 6: forbidden.
        print(repr(gl.vm.spawn_sandbox(lambda: gl.vm.run_nondet_unsafe(lambda: 1, lambda r: True))))

    @gl.public.write
    def nondet(self) -> str:
        return '|'.join(gl.eq_principle.strict_eq(all_cases))
