# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.17 nondet/llm/call_llm, call_llm_json, nondet/web/request_status; python-sdk.md §9,
# §11): the web and LLM modules inside nondet blocks, as leader and as validator.
from genlayer import *


class Oracle(gl.Contract):
    answer: str

    def __init__(self):
        pass

    @gl.public.write
    def ask(self, url: str) -> str:
        def fetch() -> str:
            page = gl.nondet.web.get(url + 'city')
            missing = gl.nondet.web.get(url + 'missing')
            reply = gl.nondet.exec_prompt('Weather in ' + page.body.decode('utf-8') + '?')
            return f'{page.status} {missing.status} {reply}'

        self.answer = gl.eq_principle.strict_eq(fetch)
        return self.answer

    @gl.public.write
    def count(self) -> int:
        def leader() -> int:
            return gl.nondet.exec_prompt('Count to 7 as JSON', response_format='json')['n']

        return gl.vm.run_nondet(leader, lambda result: isinstance(result, gl.vm.Return) and result.calldata == leader())
