"""``gl.eq_principle`` (python-sdk.md §11): the three equivalence principles over ``gl.vm``."""

from __future__ import annotations

import typing

from .._internal import host
from ..py import calldata
from ..py.types import Lazy
from . import vm

__all__ = ('strict_eq', 'prompt_comparative', 'prompt_non_comparative')

T = typing.TypeVar('T')


def _template(request: dict[str, typing.Any]) -> typing.Any:
    fd = host.send({'ExecPromptTemplate': request})
    if fd is None:
        raise SystemError('host gave no result file')
    answer = calldata.decode(host.read_fd(fd))
    if 'error' in answer:
        from .nondet import NondetException

        raise NondetException(answer['error'])
    return answer['ok']


def _strict_eq_lazy(fn: typing.Callable[[], T]) -> Lazy[T]:
    def validator(leaders_result: vm.Result) -> bool:
        mine = vm.spawn_sandbox(fn)
        return mine == leaders_result

    return vm.run_nondet_unsafe.lazy(fn, validator)  # type: ignore[attr-defined, no-any-return]


def strict_eq(fn: typing.Callable[[], T]) -> T:
    """Validators recompute ``fn`` in a sandbox and agree iff the Result is equal (§11)."""
    return _strict_eq_lazy(fn).get()


strict_eq.lazy = _strict_eq_lazy  # type: ignore[attr-defined]


def _prompt_comparative_lazy(fn: typing.Callable[[], T], principle: str) -> Lazy[T]:
    def validator(leaders_result: vm.Result) -> bool:
        mine = fn()
        if not isinstance(leaders_result, vm.Return):
            return False
        return bool(
            _template(
                {
                    'template': 'EqComparative',
                    'leader_answer': format(leaders_result.calldata),
                    'validator_answer': format(mine),
                    'principle': principle,
                }
            )
        )

    return vm.run_nondet.lazy(fn, validator)  # type: ignore[attr-defined, no-any-return]


def prompt_comparative(fn: typing.Callable[[], T], principle: str) -> T:
    return _prompt_comparative_lazy(fn, principle).get()


prompt_comparative.lazy = _prompt_comparative_lazy  # type: ignore[attr-defined]


def _prompt_non_comparative_lazy(fn: typing.Callable[[], str], *, task: str, criteria: str) -> Lazy[str]:
    def leader() -> str:
        text = fn()
        assert isinstance(text, str)
        return typing.cast(
            str, _template({'template': 'EqNonComparativeLeader', 'task': task, 'input': text, 'criteria': criteria})
        )

    def validator(leaders_result: vm.Result) -> bool:
        mine = fn()
        if not isinstance(leaders_result, vm.Return):
            return False
        return bool(
            _template(
                {
                    'template': 'EqNonComparativeValidator',
                    'task': task,
                    'output': leaders_result.calldata,
                    'input': mine,
                    'criteria': criteria,
                }
            )
        )

    return vm.run_nondet.lazy(leader, validator)  # type: ignore[attr-defined, no-any-return]


def prompt_non_comparative(fn: typing.Callable[[], str], *, task: str, criteria: str) -> str:
    return _prompt_non_comparative_lazy(fn, task=task, criteria=criteria).get()


prompt_non_comparative.lazy = _prompt_non_comparative_lazy  # type: ignore[attr-defined]
