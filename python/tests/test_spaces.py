"""Spaces and dtypes on the wire, the observation layout of env.proto, and the decoding of actions."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from gymnasium import spaces

from shoal_env._proto import env_pb2, tensor_pb2
from shoal_env.actions import ActionDecoder, ActionError
from shoal_env.observations import ObservationError, ObservationLayout
from shoal_env.spaces import UnsupportedSpaceError, space_from_proto, space_to_proto
from shoal_env.tensors import NUMPY_BY_DTYPE, TensorError, from_tensor, to_tensor

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


@pytest.mark.parametrize("name", DTYPES)
def test_every_dtype_round_trips_as_a_tensor_and_a_box(name: str) -> None:
    dtype = np.dtype(name)
    values = (np.arange(24).reshape(2, 3, 4) % 2 if dtype == np.bool_ else np.arange(24).reshape(2, 3, 4) - 5)
    array = values.astype(dtype)
    tensor = to_tensor(array)
    assert NUMPY_BY_DTYPE[tensor.dtype] == dtype
    assert list(tensor.shape) == [2, 3, 4]
    assert tensor.data == array.astype(dtype.newbyteorder("<")).tobytes()
    decoded = from_tensor(env_pb2.EnvStep(actions=tensor).actions)
    assert decoded.dtype == dtype and np.array_equal(decoded, array)

    low, high = (0, 1) if dtype == np.bool_ else (0, 7) if dtype == np.uint8 else (-3, 7)
    box = spaces.Box(low, high, (2, 3), dtype)
    message = space_to_proto(box)
    assert message.box.dtype == tensor.dtype
    assert list(message.box.low) == [low] and list(message.box.high) == [high]
    assert space_from_proto(message) == box


def test_big_endian_arrays_travel_little_endian() -> None:
    array = np.array([1, 2, 3], dtype=">i4")
    assert to_tensor(array).data == np.array([1, 2, 3], dtype="<i4").tobytes()


def test_box_bounds_are_one_value_when_equal_else_one_per_element() -> None:
    box = spaces.Box(np.array([[-1.0, -2.0], [-np.inf, 0.5]]), np.full((2, 2), 3.0), dtype=np.float64)
    message = space_to_proto(box).box
    assert list(message.shape) == [2, 2]
    assert list(message.low) == [-1.0, -2.0, -np.inf, 0.5]
    assert list(message.high) == [3.0]
    assert space_from_proto(space_to_proto(box)) == box


def test_int64_box_bounds_survive_the_round_trip_through_doubles() -> None:
    box = spaces.Box(np.iinfo(np.int64).min, np.iinfo(np.int64).max, (2,), np.int64)
    back = space_from_proto(space_to_proto(box))
    assert isinstance(back, spaces.Box) and back.dtype == np.int64
    assert back.low[0] == np.iinfo(np.int64).min and back.high[0] > 2**62


def test_discrete_multidiscrete_and_dict_spaces_round_trip() -> None:
    discrete = spaces.Discrete(5, start=-2)
    assert space_to_proto(discrete).discrete == env_pb2.DiscreteSpace(n=5, start=-2)
    assert space_from_proto(space_to_proto(discrete)) == discrete
    multi = spaces.MultiDiscrete([3, 4, 2])
    assert list(space_to_proto(multi).multi_discrete.nvec) == [3, 4, 2]
    assert space_from_proto(space_to_proto(multi)) == multi
    nested = spaces.Dict({"z": discrete, "a": spaces.Box(0, 1, (2,), np.uint8), "m": multi})
    message = space_to_proto(nested)
    assert [entry.key for entry in message.dict.entries] == ["a", "m", "z"]
    assert space_from_proto(message) == nested


def test_an_unsupported_dtype_is_refused_naming_it_and_the_space() -> None:
    box = spaces.Box(0, 9, (2,), np.uint16)
    with pytest.raises(UnsupportedSpaceError, match=r"observation space.*uint16") as raised:
        space_to_proto(box, "observation space")
    assert "Box(0, 9, (2,), uint16)" in str(raised.value)
    with pytest.raises(UnsupportedSpaceError, match=r"observation space\['b'\].*uint16"):
        ObservationLayout(spaces.Dict({"a": spaces.Box(0, 1, (1,)), "b": box}))
    with pytest.raises(UnsupportedSpaceError, match="uint16"):
        ActionDecoder(box, 2)


def test_unsupported_kinds_of_space_are_refused() -> None:
    with pytest.raises(UnsupportedSpaceError, match="Tuple"):
        space_to_proto(spaces.Tuple([spaces.Discrete(2)]), "observation space")
    with pytest.raises(UnsupportedSpaceError, match="MultiBinary"):
        ObservationLayout(spaces.MultiBinary(3))
    with pytest.raises(UnsupportedSpaceError, match="Dict"):
        ActionDecoder(spaces.Dict({"a": spaces.Discrete(2)}), 2)


def spec_of(layout: ObservationLayout) -> tuple[str, list[int]]:
    return tensor_pb2.DType.Name(layout.spec.dtype), list(layout.spec.shape)


def test_a_box_observation_is_itself_and_passes_without_a_copy() -> None:
    layout = ObservationLayout(spaces.Box(0, 255, (2, 3), np.uint8))
    assert spec_of(layout) == ("DTYPE_UINT8", [2, 3])
    batch = np.arange(24, dtype=np.uint8).reshape(4, 2, 3)
    assert layout.encode(batch, 4) is batch
    with pytest.raises(ObservationError, match=r"shape \[2, 3\]"):
        layout.encode(batch[:, :1], 4)


def test_a_discrete_observation_is_a_one_hot_counting_from_its_start() -> None:
    layout = ObservationLayout(spaces.Discrete(4, start=10))
    assert spec_of(layout) == ("DTYPE_UINT8", [4])
    encoded = layout.encode(np.array([10, 13, 11]), 3)
    assert encoded.dtype == np.uint8
    assert encoded.tolist() == [[1, 0, 0, 0], [0, 0, 0, 1], [0, 1, 0, 0]]
    with pytest.raises(ObservationError, match="outside"):
        layout.encode(np.array([14, 10, 10]), 3)


def test_a_multidiscrete_observation_concatenates_one_hots() -> None:
    layout = ObservationLayout(spaces.MultiDiscrete([2, 3]))
    assert spec_of(layout) == ("DTYPE_UINT8", [5])
    assert layout.encode(np.array([[1, 0], [0, 2]]), 2).tolist() == [[0, 1, 1, 0, 0], [1, 0, 0, 0, 1]]
    with_start = ObservationLayout(spaces.MultiDiscrete([[2, 2]], start=[[5, -1]]))
    assert with_start.encode(np.array([[[6, -1]]]), 1).tolist() == [[0, 1, 1, 0]]


def test_a_dict_concatenates_its_entries_sorted_by_key_in_float32_when_dtypes_differ() -> None:
    space = spaces.Dict(
        {"z": spaces.Discrete(3), "a": spaces.Box(-1, 1, (2, 2), np.float64), "m": spaces.MultiDiscrete([2, 2])}
    )
    layout = ObservationLayout(space)
    assert spec_of(layout) == ("DTYPE_FLOAT32", [4 + 4 + 3])
    batch = {
        "a": np.array([[[0.5, -0.5], [0.25, 1.0]], [[0, 0], [0, 0]]]),
        "m": np.array([[1, 0], [0, 1]]),
        "z": np.array([2, 0]),
    }
    encoded = layout.encode(batch, 2)
    assert encoded.dtype == np.float32
    assert encoded.tolist() == [
        [0.5, -0.5, 0.25, 1.0, 0, 1, 1, 0, 0, 0, 1],
        [0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0],
    ]
    rows = [{key: value[i] for key, value in batch.items()} for i in range(2)]
    assert np.array_equal(layout.encode_rows(rows), encoded)


def test_a_dict_whose_entries_share_a_dtype_keeps_it() -> None:
    space = spaces.Dict({"frame": spaces.Box(0, 255, (2,), np.uint8), "mode": spaces.Discrete(2)})
    layout = ObservationLayout(space)
    assert spec_of(layout) == ("DTYPE_UINT8", [4])
    encoded = layout.encode({"frame": np.array([[7, 200]], np.uint8), "mode": np.array([1])}, 1)
    assert encoded.dtype == np.uint8 and encoded.tolist() == [[7, 200, 0, 1]]


def action_tensor(array: np.ndarray[Any, Any]) -> tensor_pb2.Tensor:
    return to_tensor(array)


def test_discrete_actions_are_int64_indices_plus_the_start() -> None:
    decoder = ActionDecoder(spaces.Discrete(3, start=-1), 4)
    assert decoder.expected == "int64 [4]"
    decoded = decoder.decode(action_tensor(np.array([0, 1, 2, 0], np.int64)))
    assert decoded.tolist() == [-1, 0, 1, -1]
    assert spaces.MultiDiscrete([3] * 4, start=[-1] * 4).contains(decoded)
    with pytest.raises(ActionError, match="environment 2"):
        decoder.decode(action_tensor(np.array([0, 1, 3, 0], np.int64)))
    with pytest.raises(ActionError, match="got dtype DTYPE_INT32"):
        decoder.decode(action_tensor(np.zeros(4, np.int32)))
    with pytest.raises(ActionError, match=r"got shape \[4, 1\]"):
        decoder.decode(action_tensor(np.zeros((4, 1), np.int64)))


def test_multidiscrete_actions_are_int64_rows() -> None:
    decoder = ActionDecoder(spaces.MultiDiscrete([[2, 3]], start=[[1, 0]]), 2)
    assert decoder.expected == "int64 [2, 2]"
    decoded = decoder.decode(action_tensor(np.array([[1, 2], [0, 0]], np.int64)))
    assert decoded.shape == (2, 1, 2) and decoded.tolist() == [[[2, 2]], [[1, 0]]]


def test_choices_out_of_range_or_negative_are_refused_and_decoded_ones_are_fresh_arrays() -> None:
    discrete = ActionDecoder(spaces.Discrete(2), 3)
    decoded = discrete.decode(action_tensor(np.array([1, 0, 1], np.int64)))
    assert decoded.tolist() == [1, 0, 1] and decoded.flags.writeable
    with pytest.raises(ActionError, match=r"action \[-1\] of environment 1"):
        discrete.decode(action_tensor(np.array([0, -1, 5], np.int64)))
    multi = ActionDecoder(spaces.MultiDiscrete([2, 3]), 3)
    assert multi.decode(action_tensor(np.array([[1, 2], [0, 0], [1, 1]], np.int64))).tolist()[0] == [1, 2]
    with pytest.raises(ActionError, match=r"action \[0, 3\] of environment 2"):
        multi.decode(action_tensor(np.array([[1, 2], [0, 0], [0, 3]], np.int64)))
    with pytest.raises(ActionError, match=r"action \[-1, 0\] of environment 0"):
        multi.decode(action_tensor(np.array([[-1, 0], [0, 0], [0, 0]], np.int64)))


def test_box_actions_are_float32_cast_to_the_space_dtype_and_clipped() -> None:
    space = spaces.Box(np.array([-1.0, 0.0]), np.array([2.0, 1.0]), dtype=np.float64)
    decoder = ActionDecoder(space, 3)
    assert decoder.expected == "float32 [3, 2]"
    decoded = decoder.decode(action_tensor(np.array([[5, -5], [0.5, 0.25], [-np.inf, np.inf]], np.float32)))
    assert decoded.dtype == np.float64
    assert decoded.tolist() == [[2.0, 0.0], [0.5, 0.25], [-1.0, 1.0]]
    integer = ActionDecoder(spaces.Box(-3, 3, (1,), np.int16), 2)
    assert integer.decode(action_tensor(np.array([[1e9], [-2.0]], np.float32))).tolist() == [[3], [-2]]
    with pytest.raises(ActionError, match="NaN"):
        decoder.decode(action_tensor(np.array([[0, 0], [0, np.nan], [0, 0]], np.float32)))


def test_a_tensor_whose_data_does_not_fit_its_shape_is_refused() -> None:
    tensor = tensor_pb2.Tensor(dtype=tensor_pb2.DTYPE_INT64, shape=[4], data=b"\0" * 31)
    with pytest.raises(TensorError, match="needs 32 bytes"):
        from_tensor(tensor)
    with pytest.raises(ActionError, match="need 32 bytes of data, got 31"):
        ActionDecoder(spaces.Discrete(2), 4).decode(tensor)
