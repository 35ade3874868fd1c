# { "Depends": "py-genlayer:test" }

# A non-deterministic block around a pure computation (python-sdk.md §11 strict_eq, §10.4 run_nondet): the leader
# computes, the validator recomputes and compares, both return the leader's value.
from genlayer import *


def squares(n: int) -> int:
    return sum(i * i for i in range(n))


def refuse() -> int:
    raise gl.vm.UserError("negative")


class NondetSum(gl.Contract):
    result: u256

    def __init__(self):
        self.result = 0

    @gl.public.write
    def strict(self, n: int) -> int:
        value = gl.eq_principle.strict_eq(lambda: squares(n))
        self.result = value
        return value

    @gl.public.write
    def checked(self, n: int) -> int:
        def leader() -> int:
            return squares(n)

        def validator(leaders_result) -> bool:
            return isinstance(leaders_result, gl.vm.Return) and leaders_result.calldata == squares(n)

        value = gl.vm.run_nondet(leader, validator)
        self.result = value
        return value

    @gl.public.write
    def disagree(self, n: int) -> int:
        # The validator always votes against: a validator run reports `nondet disagreement: 0` (call_no of the
        # first RunNondet, python-sdk.md §10.3) while the contract still returns the leader's value.
        return gl.vm.run_nondet_unsafe(lambda: squares(n), lambda leaders_result: False)

    @gl.public.write
    def caught(self) -> str:
        # A UserError in the nondet block reaches the contract as a catchable gl.vm.UserError (python-sdk.md §10.3).
        try:
            gl.eq_principle.strict_eq(refuse)
        except gl.vm.UserError as e:
            return "caught " + str(e)
        return "not raised"
