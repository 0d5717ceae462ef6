"""gymnasium spaces ⇄ the wire's `Space` (Box, Discrete, MultiDiscrete and Dict of them; nothing else)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from gymnasium import spaces

from shoal_env._proto import env_pb2
from shoal_env.tensors import UnsupportedDTypeError, dtype_from_wire, dtype_to_wire


class UnsupportedSpaceError(ValueError):
    """A space that the environment protocol cannot describe, or one with a dtype it cannot carry."""


def space_to_proto(space: spaces.Space[Any], name: str = "space") -> env_pb2.Space:
    """The wire's description of a space; `name` (say "observation space") names it in errors.

    A Box's bounds are a single value when every element has the same one, else one per element, row-major. A
    MultiDiscrete's choices are listed row-major; its `start`, if any, stays on the server (the wire counts from 0).
    """
    message = env_pb2.Space()
    if isinstance(space, spaces.Box):
        try:
            dtype = dtype_to_wire(space.dtype, f"{name} {space}")
        except UnsupportedDTypeError as error:
            raise UnsupportedSpaceError(str(error)) from None
        message.box.dtype = dtype
        message.box.shape[:] = space.shape
        message.box.low[:] = _bounds(space.low)
        message.box.high[:] = _bounds(space.high)
    elif isinstance(space, spaces.Discrete):
        message.discrete.n = int(space.n)
        message.discrete.start = int(space.start)
    elif isinstance(space, spaces.MultiDiscrete):
        message.multi_discrete.nvec[:] = [int(n) for n in space.nvec.ravel()]
    elif isinstance(space, spaces.Dict):
        if not space.spaces:
            raise UnsupportedSpaceError(f"{name} is an empty Dict")
        message.dict.SetInParent()
        for key, subspace in space.spaces.items():
            if not isinstance(key, str):
                raise UnsupportedSpaceError(f"{name} has a non-string key {key!r}")
            entry = message.dict.entries.add(key=key)
            entry.space.CopyFrom(space_to_proto(subspace, f"{name}[{key!r}]"))
    else:
        raise UnsupportedSpaceError(
            f"{name} is {space}, a {type(space).__name__}; Shoal serves Box, Discrete, MultiDiscrete and Dict of them"
        )
    return message


def space_from_proto(message: env_pb2.Space) -> spaces.Space[Any]:
    """The gymnasium space a wire description stands for (a MultiDiscrete comes back one-dimensional)."""
    kind = message.WhichOneof("kind")
    if kind == "box":
        box = message.box
        dtype = dtype_from_wire(box.dtype)
        shape = tuple(int(extent) for extent in box.shape)
        return spaces.Box(_unbounds(box.low, shape, dtype), _unbounds(box.high, shape, dtype), shape, dtype)
    if kind == "discrete":
        return spaces.Discrete(int(message.discrete.n), start=int(message.discrete.start))
    if kind == "multi_discrete":
        return spaces.MultiDiscrete(np.array(message.multi_discrete.nvec, dtype=np.int64))
    if kind == "dict":
        return spaces.Dict({entry.key: space_from_proto(entry.space) for entry in message.dict.entries})
    raise UnsupportedSpaceError(f"space of unknown kind {kind!r}")


def _bounds(values: npt.NDArray[Any]) -> list[float]:
    """One bound for all elements when they share it, else one per element (row-major)."""
    flat = np.asarray(values, dtype=np.float64).ravel()
    if flat.size > 0 and bool(np.all(flat == flat[0])):
        return [float(flat[0])]
    return [float(value) for value in flat]


def _unbounds(values: Any, shape: tuple[int, ...], dtype: np.dtype[Any]) -> npt.NDArray[Any]:
    """Bounds of the wire as an array of `shape` in `dtype` (integer bounds are held within the dtype's range)."""
    flat = np.array(values, dtype=np.float64)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        highest = float(info.max)
        if int(highest) > info.max:  # int64's largest value rounds up past itself in float64
            highest = float(np.nextafter(highest, 0.0))
        flat = np.clip(flat, float(info.min), highest)
    converted = flat.astype(dtype)
    if converted.size == 1:
        return np.full(shape, converted[0], dtype=dtype)
    return converted.reshape(shape)
