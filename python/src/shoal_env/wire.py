"""A step's reply written straight in protobuf's wire format from numpy arrays.

The step reply is the server's hot path. Filling EnvTransitions' repeated fields from Python (one Python object per
element) costs more than a native vector env's step of 64 environments; written here, a field is a header and one
array's bytes. The bytes are those protobuf writes for the same message: fields in the order of their numbers,
repeated scalars packed, and no field for an empty one or a zero scalar (tests compare the two encodings).
"""

from __future__ import annotations

import functools
import math
import struct
from typing import Any

import numpy as np
import numpy.typing as npt

from shoal_env._proto import env_pb2, tensor_pb2
from shoal_env.host import Step
from shoal_env.tensors import dtype_to_wire

# Wire types: VARINT (integers, bools, enums), I64 (doubles), LEN (bytes, messages, packed repeated fields).
_VARINT, _I64, _LEN = 0, 1, 2

_DOUBLE = struct.Struct("<d")
_FLOAT64 = np.dtype("<f8")
_ZERO_DOUBLE = bytes(8)
_ONE_BYTE = [bytes((value,)) for value in range(0x80)]

_Tensor, _Transitions = tensor_pb2.Tensor, env_pb2.EnvTransitions


def varint(value: int) -> bytes:
    """A base-128 varint; a negative value as its 64-bit two's complement (ten bytes), as protobuf writes int64."""
    if 0 <= value < 0x80:
        return _ONE_BYTE[value]
    value &= 0xFFFF_FFFF_FFFF_FFFF
    out = bytearray()
    while value > 0x7F:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _tag(number: int, wire_type: int) -> bytes:
    return varint(number << 3 | wire_type)


_RETURN_TAG = _tag(env_pb2.EpisodeEnd.EPISODE_RETURN_FIELD_NUMBER, _I64)
_LENGTH_TAG = _tag(env_pb2.EpisodeEnd.LENGTH_FIELD_NUMBER, _VARINT)


@functools.lru_cache(maxsize=4096)
def _header(number: int, length: int) -> bytes:
    """The tag and the length of a length-delimited field (a message, a byte string, a packed repeated field)."""
    return _tag(number, _LEN) + varint(length)


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited field."""
    return _header(number, len(payload)) + payload


def _nonempty(number: int, payload: bytes) -> bytes:
    """A byte string or packed repeated field, which protobuf leaves out when it is empty."""
    return _header(number, len(payload)) + payload if payload else b""


@functools.lru_cache(maxsize=4096)
def _tensor_head(dtype: np.dtype[Any], shape: tuple[int, ...]) -> bytes:
    """A Tensor's fields before its data's bytes: dtype, shape, and the data's tag and length."""
    size = math.prod(shape) * dtype.itemsize
    return (
        _tag(_Tensor.DTYPE_FIELD_NUMBER, _VARINT)
        + varint(dtype_to_wire(dtype))
        + _nonempty(_Tensor.SHAPE_FIELD_NUMBER, b"".join(map(varint, shape)))
        + (_header(_Tensor.DATA_FIELD_NUMBER, size) if size else b"")
    )


def _tensor(array: npt.NDArray[Any]) -> bytes:
    """A Tensor message: the array's dtype, its shape and its data, little-endian and row-major."""
    if array.dtype.byteorder == ">":
        array = array.astype(array.dtype.newbyteorder("<"))
    return _tensor_head(array.dtype, array.shape) + array.tobytes()


def transitions(step: Step) -> bytes:
    """The EnvTransitions message of one step."""
    return b"".join(
        (
            _field(_Transitions.OBSERVATIONS_FIELD_NUMBER, _tensor(step.observations)),
            _nonempty(_Transitions.REWARDS_FIELD_NUMBER, step.rewards.astype(_FLOAT64, copy=False).tobytes()),
            # A bool is the varint 0 or 1: one byte, as numpy stores it.
            _nonempty(_Transitions.TERMINATED_FIELD_NUMBER, step.terminated.tobytes()),
            _nonempty(_Transitions.TRUNCATED_FIELD_NUMBER, step.truncated.tobytes()),
            _nonempty(_Transitions.ENDED_FIELD_NUMBER, b"".join(map(varint, step.ended.tolist()))),
            _field(_Transitions.FINAL_OBSERVATIONS_FIELD_NUMBER, _tensor(step.final_observations)),
            *(_field(_Transitions.EPISODES_FIELD_NUMBER, _episode(*episode)) for episode in step.episodes),
        )
    )


def _episode(episode_return: float, length: int) -> bytes:
    """An EpisodeEnd message (a return of +0.0 and a length of 0 are left out, -0.0 is not)."""
    bits = _DOUBLE.pack(episode_return)
    return (b"" if bits == _ZERO_DOUBLE else _RETURN_TAG + bits) + (_LENGTH_TAG + varint(length) if length else b"")


def step_reply(envelope: env_pb2.EnvReply, step: Step) -> bytes:
    """The bytes of `envelope` (an EnvReply without a body) with the step's transitions as its body.

    A message's encoding followed by a field's is the encoding of the message with that field, and the body comes
    after protocol_version and request_id in the order of field numbers.
    """
    return envelope.SerializeToString() + _field(env_pb2.EnvReply.TRANSITIONS_FIELD_NUMBER, transitions(step))
