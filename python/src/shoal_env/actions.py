"""The wire's action tensor → the actions a vector env's `step` takes.

Discrete: int64 [M], the index without the space's start. MultiDiscrete: int64 [M, k], each choice counted from 0.
Box: float32 [M, ...], cast to the space's dtype and clipped to its bounds (as gymnasium's ClipAction does).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
from gymnasium import spaces

from shoal_env._proto import tensor_pb2
from shoal_env.spaces import UnsupportedSpaceError
from shoal_env.tensors import NUMPY_BY_DTYPE, UnsupportedDTypeError, dtype_name, dtype_to_wire


class ActionError(ValueError):
    """An action tensor that does not fit the action space: wrong dtype, shape or size, or a value out of range."""


class ActionDecoder:
    """Checks and decodes the action tensors of M environments that share one action space."""

    def __init__(self, space: spaces.Space[Any], num_envs: int, name: str = "action space") -> None:
        self.space = space
        self.num_envs = num_envs
        if isinstance(space, spaces.Discrete):
            self.dtype = tensor_pb2.DTYPE_INT64
            self.shape: tuple[int, ...] = (num_envs,)
            self._nvec = np.array([space.n], dtype=np.int64)
            self._start = np.array([space.start], dtype=np.int64)
            #: The shape of the actions the vector env takes.
            self._env_shape: tuple[int, ...] = (num_envs,)
        elif isinstance(space, spaces.MultiDiscrete):
            self.dtype = tensor_pb2.DTYPE_INT64
            self.shape = (num_envs, int(space.nvec.size))
            self._nvec = space.nvec.ravel().astype(np.int64)
            self._start = space.start.ravel().astype(np.int64)
            self._env_shape = (num_envs, *space.nvec.shape)
        elif isinstance(space, spaces.Box):
            try:
                dtype_to_wire(space.dtype, f"{name} {space}")
            except UnsupportedDTypeError as error:
                raise UnsupportedSpaceError(str(error)) from None
            self.dtype = tensor_pb2.DTYPE_FLOAT32
            self.shape = (num_envs, *space.shape)
            self._low = space.low
            self._high = space.high
        else:
            raise UnsupportedSpaceError(
                f"{name} is {space}, a {type(space).__name__}; Shoal's actions are Box, Discrete or MultiDiscrete"
            )
        self._numpy_dtype = NUMPY_BY_DTYPE[self.dtype]
        self._nbytes = math.prod(self.shape) * self._numpy_dtype.itemsize
        self._wire_shape = list(self.shape)  # compared with a tensor's shape as it is, without a conversion
        self._is_box = isinstance(space, spaces.Box)
        if not self._is_box:
            # Negative indices, seen as unsigned, are above every bound: one comparison checks both sides.
            self._unsigned_nvec = self._nvec.astype(np.uint64)
            #: With one choice per environment, the largest index checks them all.
            self._bound = self._unsigned_nvec[0] if self._nvec.size == 1 else None
            self._offset = bool(self._start.any())

    @property
    def expected(self) -> str:
        """What an action tensor must be, for messages: say "int64 [16]"."""
        return f"{self._numpy_dtype} {list(self.shape)}"

    def decode(self, tensor: tensor_pb2.Tensor) -> npt.NDArray[Any]:
        """The actions of the M environments, in the form the vector env's action space takes (a fresh array)."""
        if tensor.dtype != self.dtype:
            raise ActionError(
                f"actions must be {self.expected} for {self.space}, got dtype {dtype_name(tensor.dtype)}"
            )
        if tensor.shape != self._wire_shape:
            raise ActionError(f"actions must be {self.expected} for {self.space}, got shape {list(tensor.shape)}")
        data = tensor.data
        if len(data) != self._nbytes:
            raise ActionError(f"actions {self.expected} need {self._nbytes} bytes of data, got {len(data)}")
        actions = np.frombuffer(data, dtype=self._numpy_dtype).reshape(self.shape)
        return self._box(actions) if self._is_box else self._choices(actions)

    def _choices(self, indices: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """[M] (Discrete) or [M, k] (MultiDiscrete) indices → the choices, each index plus its start."""
        unsigned = indices.view(np.uint64)
        if self._bound is not None:
            outside = bool(unsigned.max() >= self._bound)
        else:
            outside = bool((unsigned >= self._unsigned_nvec).any())
        if outside:
            rows = indices.reshape(self.num_envs, -1)
            env = int(np.flatnonzero((rows.view(np.uint64) >= self._unsigned_nvec).any(axis=1))[0])
            raise ActionError(
                f"action {rows[env].tolist()} of environment {env} is outside {self.space} "
                f"(indices count from 0 to n - 1)"
            )
        chosen = indices + self._start if self._offset else indices.copy()  # a fresh array, not the request's
        return chosen.reshape(self._env_shape)

    def _box(self, actions: npt.NDArray[np.float32]) -> npt.NDArray[Any]:
        if np.isnan(actions).any():  # clipping would keep NaN
            env = int(np.flatnonzero(np.isnan(actions).reshape(self.num_envs, -1).any(axis=1))[0])
            raise ActionError(f"action of environment {env} holds NaN")
        assert isinstance(self.space, spaces.Box)
        if np.issubdtype(self.space.dtype, np.integer):
            # Clip before the cast, which is undefined for floats out of the integer range.
            return np.clip(actions.astype(np.float64), self._low, self._high).astype(self.space.dtype)
        return np.clip(actions, self._low, self._high).astype(self.space.dtype, copy=False)
