# { "Depends": "py-genlayer:test" }

# Corpus (contract-corpus.md §2.3 leader_errors, validator/rollback_*, nondet/metod_det_get_webpage, trivial):
# leader and validator outcomes of nondet blocks that roll back or fail.
from genlayer import *


def leader():
    raise gl.vm.UserError('No idea')


def same(result):
    raise gl.vm.UserError('No idea')


def other(result):
    raise gl.vm.UserError('other rollback')


def crash():
    raise ValueError('leader crashed')


class Nondet(gl.Contract):
    def __init__(self):
        pass

    @gl.public.write
    def agree(self) -> None:
        gl.vm.run_nondet(leader, same)

    @gl.public.write
    def disagree(self) -> None:
        gl.vm.run_nondet(leader, other)

    @gl.public.write
    def caught(self) -> str:
        try:
            gl.vm.run_nondet(leader, same)
        except gl.vm.UserError as e:
            return e.message
        return 'not raised'

    @gl.public.write
    def leader_crash(self) -> None:
        gl.eq_principle.strict_eq(crash)

    @gl.public.write
    def trivial(self) -> str:
        return gl.eq_principle.strict_eq(lambda: 'web page?')

    @gl.public.write
    def det_web(self) -> None:
        try:
            gl.nondet.web.get('http://127.0.0.1:9/')
        except SystemError as e:
            print('det web:', e)
