# v0.1.10
# { "Seq": [
#   { "AddEnv": { "name": "FIRST", "val": "1" } },
#   { "AddEnv": { "name": "BOTH", "val": "${FIRST}:2${ENV[HOME]}" } },
#   { "Depends": "py-lib-cloudpickle:test" },
#   { "Depends": "py-genlayer:test" }
# ] }

# Corpus (contract-corpus.md §2.1 _hello_world_class_nondet, §2.13 env-template, dup-dependency; runners.md §2, §4):
# a version line and a multi-line runner.json header; AddEnv with ${NAME} (set earlier) and ${ENV[NAME]} (always
# empty); py-lib-cloudpickle is depended on here and again by py-genlayer, and the second Depends is skipped (mapping
# its files twice would fail the load).
import os

from genlayer import *


class EnvHeader(gl.Contract):
    def __init__(self):
        pass

    @gl.public.write
    def env(self) -> str:
        assert gl.vm.run_nondet_unsafe(lambda: None, lambda leader: True) is None
        return os.environ['FIRST'] + ' ' + os.environ['BOTH']
