"""``gl.vm``: sub-VMs and consensus primitives (python-sdk.md §10)."""

from __future__ import annotations

import dataclasses
import typing

from .._internal import host
from ..py.types import Lazy

__all__ = (
    'Return',
    'VMError',
    'UserError',
    'Result',
    'unpack_result',
    'spawn_sandbox',
    'run_nondet',
    'run_nondet_unsafe',
)

T = typing.TypeVar('T')


@dataclasses.dataclass
class Return(typing.Generic[T]):
    calldata: T


@dataclasses.dataclass
class VMError:
    message: str


@dataclasses.dataclass
class UserError(Exception):
    """A user error: raised out of a method it becomes ``Rollback(message)`` (§6.3); ``str()`` is the repr."""

    message: str

    def __str__(self) -> str:
        return repr(self)


Result = Return[typing.Any] | VMError | UserError


def unpack_result(result: Result) -> typing.Any:
    if isinstance(result, Return):
        return result.calldata
    if isinstance(result, UserError):
        raise result
    raise UserError('vm error: ' + result.message)


def _dumps(fn: typing.Callable[..., typing.Any]) -> bytes:
    import cloudpickle

    return cloudpickle.dumps(fn)


def _lazy_result(fd: int | None) -> Lazy[Result]:
    def decode() -> Result:
        if fd is None:
            raise SystemError('host gave no result file')
        return typing.cast(Result, host.decode_sub_vm_result(host.read_fd(fd)))

    return Lazy(decode)


def _spawn_sandbox_lazy(fn: typing.Callable[[], typing.Any], *, allow_write_ops: bool = False) -> Lazy[Result]:
    fd = host.send({'Sandbox': {'data': _dumps(fn), 'allow_write_ops': allow_write_ops}})
    return _lazy_result(fd)


def spawn_sandbox(fn: typing.Callable[[], typing.Any], *, allow_write_ops: bool = False) -> Result:
    """Runs ``fn()`` in a fresh VM and returns its Result; never raises for failures inside (§10.2)."""
    return _spawn_sandbox_lazy(fn, allow_write_ops=allow_write_ops).get()


spawn_sandbox.lazy = _spawn_sandbox_lazy  # type: ignore[attr-defined]


def _decode_leaders_result(stage_data: typing.Any) -> Result:
    return typing.cast(Result, host.decode_sub_vm_result(stage_data['leaders_result']))


def _run_nondet_raw_lazy(
    leader: typing.Callable[[typing.Any], typing.Any], validator: typing.Callable[[typing.Any], typing.Any]
) -> Lazy[typing.Any]:
    fd = host.send({'RunNondet': {'data_leader': _dumps(leader), 'data_validator': _dumps(validator)}})
    result = _lazy_result(fd)
    # Return → value, UserError → raised; a VMError ends the calling VM in the host (§10.3).
    return Lazy(lambda: unpack_result(result.get()))


def _run_nondet_unsafe_lazy(
    leader_fn: typing.Callable[[], T], validator_fn: typing.Callable[[Result], bool]
) -> Lazy[T]:
    def leader(stage_data: typing.Any) -> typing.Any:
        return leader_fn()

    def validator(stage_data: typing.Any) -> typing.Any:
        return validator_fn(_decode_leaders_result(stage_data))

    return _run_nondet_raw_lazy(leader, validator)


def run_nondet_unsafe(leader_fn: typing.Callable[[], T], validator_fn: typing.Callable[[Result], bool]) -> T:
    """Leader runs ``leader_fn``; validators run ``validator_fn(leaders_result)`` with no sandbox (§10.3)."""
    return _run_nondet_unsafe_lazy(leader_fn, validator_fn).get()


run_nondet_unsafe.lazy = _run_nondet_unsafe_lazy  # type: ignore[attr-defined]


def _same_message(a: typing.Any, b: typing.Any) -> bool:
    return bool(a.message == b.message)


def _run_nondet_lazy(
    leader_fn: typing.Callable[[], T],
    validator_fn: typing.Callable[[Result], bool],
    /,
    *,
    compare_user_errors: typing.Callable[[UserError, UserError], bool] = _same_message,
    compare_vm_errors: typing.Callable[[VMError, VMError], bool] = _same_message,
) -> Lazy[T]:
    def leader(stage_data: typing.Any) -> typing.Any:
        return leader_fn()

    def validator(stage_data: typing.Any) -> bool:
        leaders = _decode_leaders_result(stage_data)
        mine = spawn_sandbox(lambda: validator_fn(leaders), allow_write_ops=True)
        if type(mine) is not type(leaders):
            return False
        if isinstance(mine, Return):
            if not isinstance(mine.calldata, bool):
                raise TypeError(f'validator must return a bool, got {type(mine.calldata)}')
            return mine.calldata
        if isinstance(mine, UserError):
            return compare_user_errors(typing.cast(UserError, leaders), mine)
        return compare_vm_errors(typing.cast(VMError, leaders), mine)

    return _run_nondet_raw_lazy(leader, validator)


def run_nondet(
    leader_fn: typing.Callable[[], T],
    validator_fn: typing.Callable[[Result], bool],
    /,
    *,
    compare_user_errors: typing.Callable[[UserError, UserError], bool] = _same_message,
    compare_vm_errors: typing.Callable[[VMError, VMError], bool] = _same_message,
) -> T:
    """Like ``run_nondet_unsafe``, but the validator function runs in a sandbox and errors compare by message (§10.4)."""
    return _run_nondet_lazy(
        leader_fn, validator_fn, compare_user_errors=compare_user_errors, compare_vm_errors=compare_vm_errors
    ).get()


run_nondet.lazy = _run_nondet_lazy  # type: ignore[attr-defined]
