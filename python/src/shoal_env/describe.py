"""An EnvSpec as plain JSON, to check what Shoal will see (`shoal-env describe`)."""

from __future__ import annotations

import math
from typing import Any

from shoal_env._proto import env_pb2, tensor_pb2
from shoal_env.tensors import NUMPY_BY_DTYPE, dtype_name


def spec_to_json(spec: env_pb2.EnvSpec) -> dict[str, Any]:
    """The spec's fields, dtypes by their numpy names, the autoreset mode as "SAME_STEP" or "NEXT_STEP"; unbounded
    sides as "Infinity"/"-Infinity" (proto3 JSON's way)."""
    return {
        "env_name": spec.env_name,
        "observation_space": space_to_json(spec.observation_space),
        "action_space": space_to_json(spec.action_space),
        "observation": {"dtype": _dtype(spec.observation.dtype), "shape": list(spec.observation.shape)},
        "max_episode_steps": spec.max_episode_steps,
        "server": spec.server,
        "autoreset_mode": autoreset_mode_name(spec.autoreset_mode),
    }


def autoreset_mode_name(mode: env_pb2.AutoresetMode) -> str:
    """"SAME_STEP" or "NEXT_STEP" (the enum's name without its prefix), or the number of a mode unknown here."""
    try:
        return env_pb2.AutoresetMode.Name(mode).removeprefix("AUTORESET_MODE_")
    except ValueError:
        return str(int(mode))


def space_to_json(space: env_pb2.Space) -> dict[str, Any]:
    """{"box": {...}}, {"discrete": {...}}, {"multi_discrete": {...}} or {"dict": {key: space, ...}} (in order)."""
    kind = space.WhichOneof("kind")
    if kind == "box":
        box = space.box
        return {
            "box": {
                "dtype": _dtype(box.dtype),
                "shape": list(box.shape),
                "low": [_number(value) for value in box.low],
                "high": [_number(value) for value in box.high],
            }
        }
    if kind == "discrete":
        return {"discrete": {"n": space.discrete.n, "start": space.discrete.start}}
    if kind == "multi_discrete":
        return {"multi_discrete": {"nvec": list(space.multi_discrete.nvec)}}
    if kind == "dict":
        return {"dict": {entry.key: space_to_json(entry.space) for entry in space.dict.entries}}
    return {}


def _dtype(wire: tensor_pb2.DType) -> str:
    dtype = NUMPY_BY_DTYPE.get(wire)
    return dtype.name if dtype is not None else dtype_name(wire)


def _number(value: float) -> float | str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value
