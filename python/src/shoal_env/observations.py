"""The layout of observations on the wire, and the encoding of a batch of them into it (the rules of env.proto).

One row of the wire's observation tensor is, for a Box observation, the observation itself in its own dtype; for a
Discrete one, a one-hot vector of n elements (uint8); for a MultiDiscrete one, the concatenation of one one-hot per
choice (uint8); for a Dict, the concatenation of its entries' rows, flattened row-major in the Dict's order (sorted by
key), in their common dtype when they share one and as float32 otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from gymnasium import spaces
from gymnasium.vector.utils import concatenate, create_empty_array

from shoal_env._proto import env_pb2
from shoal_env.spaces import UnsupportedSpaceError
from shoal_env.tensors import UnsupportedDTypeError, dtype_to_wire

_ONE_HOT = np.dtype(np.uint8)
_MIXED = np.dtype(np.float32)


class ObservationError(ValueError):
    """Observations that do not fit their space (wrong shape, or a Discrete value outside its range)."""


class ObservationLayout:
    """How the observations of one space travel: dtype and shape of one row, and the encoding of a batch."""

    def __init__(self, space: spaces.Space[Any], name: str = "observation space") -> None:
        self.space = space
        self._node = _node(space, name)
        self.dtype: np.dtype[Any] = self._node.dtype
        #: Shape of one row: the Box's shape, or one dimension for every other kind.
        self.shape: tuple[int, ...] = self._node.shape
        try:
            wire = dtype_to_wire(self.dtype, name)
        except UnsupportedDTypeError as error:
            raise UnsupportedSpaceError(str(error)) from None
        self.spec = env_pb2.TensorSpec(dtype=wire, shape=self.shape)

    def encode(self, batch: Any, count: int) -> npt.NDArray[Any]:
        """The wire array [count, ...] of a batch of `count` observations as a vector env returns them.

        A Box batch of the right dtype passes through without a copy.
        """
        return self._node.encode(batch, count)

    def encode_rows(self, rows: Sequence[Any]) -> npt.NDArray[Any]:
        """The wire array [K, ...] of K single observations (such as the final ones of the episodes that ended)."""
        empty = create_empty_array(self.space, n=len(rows), fn=np.zeros)
        assert empty is not None
        batch = concatenate(self.space, rows, empty)
        return self._node.encode(batch, len(rows))


class _Node:
    """One space of the tree: its row's dtype, shape and size, and how a batch of it is written."""

    dtype: np.dtype[Any]
    shape: tuple[int, ...]
    size: int
    name: str

    def encode(self, batch: Any, count: int) -> npt.NDArray[Any]:
        out = np.empty((count, self.size), dtype=self.dtype)
        self.write(batch, count, out)
        return out

    def write(self, batch: Any, count: int, out: npt.NDArray[Any]) -> None:
        """Writes the rows of `batch` into `out` [count, size], converting to out's dtype."""
        raise NotImplementedError


class _BoxNode(_Node):
    def __init__(self, space: spaces.Box, name: str) -> None:
        try:
            dtype_to_wire(space.dtype, f"{name} {space}")
        except UnsupportedDTypeError as error:
            raise UnsupportedSpaceError(str(error)) from None
        self.dtype, self.shape, self.size, self.name = space.dtype, space.shape, int(np.prod(space.shape)), name

    def _checked(self, batch: Any, count: int) -> npt.NDArray[Any]:
        array = np.asarray(batch)
        if array.shape != (count, *self.shape):
            raise ObservationError(
                f"{self.name}: expected {count} observations of shape {list(self.shape)}, got an array of "
                f"shape {list(array.shape)}"
            )
        return array

    def encode(self, batch: Any, count: int) -> npt.NDArray[Any]:
        return np.ascontiguousarray(self._checked(batch, count), dtype=self.dtype)

    def write(self, batch: Any, count: int, out: npt.NDArray[Any]) -> None:
        out[...] = self._checked(batch, count).reshape(count, self.size)


class _OneHotNode(_Node):
    """Discrete (one choice) and MultiDiscrete (several): one one-hot block per choice."""

    def __init__(self, nvec: npt.NDArray[np.int64], start: npt.NDArray[np.int64], name: str) -> None:
        self.nvec = nvec.ravel().astype(np.int64)
        self.start = start.ravel().astype(np.int64)
        self.offsets = np.concatenate(([0], np.cumsum(self.nvec)[:-1])).astype(np.int64)
        self.dtype, self.size, self.name = _ONE_HOT, int(self.nvec.sum()), name
        self.shape = (self.size,)

    def write(self, batch: Any, count: int, out: npt.NDArray[Any]) -> None:
        choices = len(self.nvec)
        values = np.asarray(batch)
        if values.size != count * choices:
            raise ObservationError(
                f"{self.name}: expected {count} observations of {choices} choice(s), got an array of shape "
                f"{list(values.shape)}"
            )
        indices = values.reshape(count, choices).astype(np.int64, copy=False) - self.start
        if np.any(indices < 0) or np.any(indices >= self.nvec):
            raise ObservationError(f"{self.name}: observation outside the space: {values.tolist()}")
        out[...] = 0
        out[np.arange(count)[:, None], indices + self.offsets] = 1


class _DictNode(_Node):
    def __init__(self, space: spaces.Dict, name: str) -> None:
        self.name = name
        self.children = [(key, _node(subspace, f"{name}[{key!r}]")) for key, subspace in space.spaces.items()]
        dtypes = {child.dtype for _, child in self.children}
        self.dtype = dtypes.pop() if len(dtypes) == 1 else _MIXED
        self.size = sum(child.size for _, child in self.children)
        self.shape = (self.size,)

    def write(self, batch: Any, count: int, out: npt.NDArray[Any]) -> None:
        begin = 0
        for key, child in self.children:
            try:
                entry = batch[key]
            except (KeyError, TypeError, IndexError):
                raise ObservationError(f"{self.name}: the observations have no entry {key!r}") from None
            child.write(entry, count, out[:, begin : begin + child.size])
            begin += child.size


def _node(space: spaces.Space[Any], name: str) -> _Node:
    if isinstance(space, spaces.Box):
        return _BoxNode(space, name)
    if isinstance(space, spaces.Discrete):
        return _OneHotNode(np.array([space.n]), np.array([space.start]), name)
    if isinstance(space, spaces.MultiDiscrete):
        return _OneHotNode(space.nvec, space.start, name)
    if isinstance(space, spaces.Dict):
        if not space.spaces:
            raise UnsupportedSpaceError(f"{name} is an empty Dict")
        return _DictNode(space, name)
    raise UnsupportedSpaceError(
        f"{name} is {space}, a {type(space).__name__}; Shoal serves Box, Discrete, MultiDiscrete and Dict of them"
    )
