"""numpy arrays ⇄ the wire's `Tensor` (dtype, shape, little-endian row-major bytes), and numpy dtype ⇄ `DType`."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from shoal_env._proto import tensor_pb2

#: Every dtype the wire carries, each little-endian (one byte per bool, 0 or 1).
NUMPY_BY_DTYPE: dict[tensor_pb2.DType, np.dtype[Any]] = {
    tensor_pb2.DTYPE_BOOL: np.dtype(np.bool_),
    tensor_pb2.DTYPE_UINT8: np.dtype(np.uint8),
    tensor_pb2.DTYPE_INT8: np.dtype(np.int8),
    tensor_pb2.DTYPE_INT16: np.dtype("<i2"),
    tensor_pb2.DTYPE_INT32: np.dtype("<i4"),
    tensor_pb2.DTYPE_INT64: np.dtype("<i8"),
    tensor_pb2.DTYPE_FLOAT16: np.dtype("<f2"),
    tensor_pb2.DTYPE_FLOAT32: np.dtype("<f4"),
    tensor_pb2.DTYPE_FLOAT64: np.dtype("<f8"),
}

_DTYPE_BY_NUMPY: dict[np.dtype[Any], tensor_pb2.DType] = {dtype: wire for wire, dtype in NUMPY_BY_DTYPE.items()}


class UnsupportedDTypeError(ValueError):
    """A numpy dtype that the wire cannot carry."""


class TensorError(ValueError):
    """A `Tensor` whose dtype, shape or data do not fit together or do not fit what was expected."""


def dtype_to_wire(dtype: npt.DTypeLike, what: str = "array") -> tensor_pb2.DType:
    """The `DType` of a numpy dtype; `what` names the owner (a space, say) in the error for an unsupported one."""
    resolved = np.dtype(dtype)
    wire = _DTYPE_BY_NUMPY.get(resolved.newbyteorder("<") if resolved.byteorder == ">" else resolved)
    if wire is None:
        supported = ", ".join(str(d) for d in NUMPY_BY_DTYPE.values())
        raise UnsupportedDTypeError(f"{what} has dtype {resolved}, which Shoal does not carry (supported: {supported})")
    return wire


def dtype_from_wire(wire: tensor_pb2.DType) -> np.dtype[Any]:
    """The numpy dtype of a `DType`."""
    dtype = NUMPY_BY_DTYPE.get(wire)
    if dtype is None:
        raise TensorError(f"unknown tensor dtype {dtype_name(wire)}")
    return dtype


def dtype_name(wire: int) -> str:
    """`DTYPE_FLOAT32` and so on; the number for a value this build does not know."""
    try:
        return str(tensor_pb2.DType.Name(wire))
    except ValueError:
        return f"DType {wire}"


def to_tensor(array: npt.NDArray[Any], out: tensor_pb2.Tensor | None = None) -> tensor_pb2.Tensor:
    """The tensor of an array (filled into `out` when given, say a field of a message being built)."""
    tensor = tensor_pb2.Tensor() if out is None else out
    tensor.dtype = dtype_to_wire(array.dtype)
    tensor.shape[:] = array.shape
    if array.dtype.byteorder == ">":
        array = array.astype(array.dtype.newbyteorder("<"))
    # tobytes() copies a C-contiguous array once and makes a non-contiguous one contiguous on the way.
    tensor.data = array.tobytes()
    return tensor


def from_tensor(tensor: tensor_pb2.Tensor) -> npt.NDArray[Any]:
    """The array of a tensor: a read-only view of its data, without a copy."""
    dtype = dtype_from_wire(tensor.dtype)
    shape = tuple(tensor.shape)
    if any(extent < 0 for extent in shape):
        raise TensorError(f"tensor shape {list(shape)} has a negative extent")
    count = math.prod(shape)
    expected = count * dtype.itemsize
    if len(tensor.data) != expected:
        raise TensorError(
            f"tensor of {dtype_name(tensor.dtype)} {list(shape)} needs {expected} bytes of data, "
            f"it has {len(tensor.data)}"
        )
    return np.frombuffer(tensor.data, dtype=dtype, count=count).reshape(shape)
