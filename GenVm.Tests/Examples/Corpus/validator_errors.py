# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.3 leader_errors/simple_valid_err_exit, simple_valid_err_exit_wrong_err,
# simple_valid_err_nerr, validator/rollback_imm, validator/sync; §2.2 disagree_in_sandbox; python-sdk.md §10.2-§10.4):
# validators given a recorded leader result (the test writes it into the exec state, like the reference harness's
# leader_nondet) that is an error, and what their own run of the block does about it.
from genlayer import *


def _never() -> None:
    # The leader's side: validators never run it, they take the recorded result.
    raise AssertionError('the leader function ran in a validator')


def _run(validator) -> None:
    gl.vm.run_nondet(_never, validator)


class ValidatorErrors(gl.Contract):
    def __init__(self):
        pass

    @gl.public.write
    def exits_too(self) -> None:
        # The validator's block exits with 2 like the leader's did: equal VM errors agree.
        _run(lambda leaders: exit(2))

    @gl.public.write
    def exits_instead(self) -> None:
        # The leader rolled back; this block exits: another result kind disagrees.
        _run(lambda leaders: exit(1))

    @gl.public.write
    def returns_instead(self) -> None:
        # The leader failed; this block returns a vote: another result kind disagrees.
        _run(lambda leaders: True)

    @gl.public.write
    def immediate(self) -> None:
        # user_error_immediate in the validator's block is a UserError like any other: messages are compared.
        _run(lambda leaders: gl.advanced.user_error_immediate('No idea'))

    @gl.public.write
    def synced(self) -> str:
        # With --sync the recorded value is the answer and no block runs.
        return gl.vm.run_nondet(_never, lambda leaders: False)

    @gl.public.write
    def nondet_in_sandbox(self) -> None:
        def inner() -> None:
            try:
                gl.vm.run_nondet(_never, lambda leaders: True)
            except SystemError as e:
                print(e)

        print(f'res={gl.vm.spawn_sandbox(inner)!r}')
