# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.17 nondet/eq/comp/eq_prompt_comparative, nondet/eq/ncomp/eq_prompt_non_comparative
# (+_validator, _validator_bad); python-sdk.md §11): the LLM equivalence principles as leader and as validator.
from genlayer import *


class Judge(gl.Contract):
    colour: str
    summary: str

    def __init__(self):
        pass

    @gl.public.write
    def comparative(self) -> str:
        self.colour = gl.eq_principle.prompt_comparative(
            lambda: gl.nondet.exec_prompt('Name a colour'), 'both name the same colour'
        )
        return self.colour

    @gl.public.write
    def non_comparative(self, text: str) -> str:
        self.summary = gl.eq_principle.prompt_non_comparative(
            lambda: text, task='Summarise the text in one word', criteria='one English word'
        )
        return self.summary
