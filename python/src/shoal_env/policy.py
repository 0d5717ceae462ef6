"""A policy exported by `shoal export`, rebuilt with numpy alone (no Shoal, no torch).

    policy = load_policy("policy.safetensors")
    outputs, values = policy(observations)              # a feed-forward policy, observations [N, ...] as the env gives
    outputs, values, state = policy(observations, state)  # a recurrent one (state None: zeros; reset it yourself)

`outputs` are the policy head's: logits [N, A] for discrete actions, means then log standard deviations [N, 2D] for
continuous ones; `values` [N] are in return units (PopArt's or scaling's statistics applied). Observations are scaled
and normalised inside, as Shoal's network does.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float32]
State = tuple[Array, Array]

#: Normalised observations are clipped to this magnitude (Shoal's ObservationStatistics.clip).
OBSERVATION_CLIP = 10.0
#: The return scale σ never falls below this (Shoal's ReturnStatistics.minimumScale).
MINIMUM_RETURN_SCALE = 1e-2


def read_safetensors(path: str | Path) -> tuple[dict[str, Array], dict[str, str]]:
    """The float32 tensors and the metadata of a safetensors file."""
    data = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header: dict[str, Any] = json.loads(data[8 : 8 + length])
    metadata: dict[str, str] = header.pop("__metadata__", {})
    body = memoryview(data)[8 + length :]
    tensors: dict[str, Array] = {}
    for name, entry in header.items():
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} is {entry['dtype']}, not F32")
        start, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(body[start:end], dtype="<f4").astype(np.float32).reshape(entry["shape"])
    return tensors, metadata


@dataclass
class Policy:
    """An exported actor-critic: call it on a batch of observations."""

    network: dict[str, Any]
    tensors: dict[str, Array]

    @property
    def recurrent(self) -> bool:
        return self.network.get("lstmSize") is not None

    def initial_state(self, batch: int) -> State:
        """Zeros: the state at the start of an episode."""
        size = int(self.network["lstmSize"])
        return np.zeros((batch, size), np.float32), np.zeros((batch, size), np.float32)

    def __call__(self, observations: Any, state: State | None = None) -> Any:
        x = self._inputs(np.asarray(observations))
        features = self._torso(x)
        if self.recurrent:
            features, state = self._lstm(features, state if state is not None else self.initial_state(len(x)))
        outputs = features @ self.tensors["policy.weight"] + self.tensors["policy.bias"]
        if "policy.log_std" in self.tensors:
            log_std = np.broadcast_to(self.tensors["policy.log_std"], outputs.shape)
            outputs = np.concatenate([outputs, log_std], axis=1)
        values = (features @ self.tensors["value.weight"] + self.tensors["value.bias"])[:, 0]
        scale, shift = self._value_transform()
        values = (values * scale + shift).astype(np.float32)
        return (outputs, values, state) if self.recurrent else (outputs, values)

    def _inputs(self, observations: NDArray[Any]) -> Array:
        size = int(self.network["observationSize"])
        x = observations.reshape(-1, size).astype(np.float32)
        if self.network.get("observationDType") == "uint8":
            x = x * np.float32(1 / 255)
        if self.network.get("normalizeObservations") and "observations.mean" in self.tensors:
            deviation = np.sqrt(self.tensors["observations.variance"] + np.float32(1e-8))
            x = np.clip((x - self.tensors["observations.mean"]) / deviation, -OBSERVATION_CLIP, OBSERVATION_CLIP)
        return x.astype(np.float32)

    def _torso(self, x: Array) -> Array:
        torso = self.network.get("convolutionalTorso")
        if torso is None:
            activation = np.tanh if self.network["activation"] == "tanh" else _relu
            i = 0
            while f"torso.layer{i}.weight" in self.tensors:
                x = activation(x @ self.tensors[f"torso.layer{i}.weight"] + self.tensors[f"torso.layer{i}.bias"])
                i += 1
            return x
        image = x.reshape(-1, torso["height"], torso["width"], torso["channels"])
        if torso["kind"] == "impala-resnet":
            for s in range(3):
                image = _max_pool(self._convolution(image, f"torso.stage{s}.conv", stride=1, padding=1))
                for b in range(2):
                    inner = self._convolution(_relu(image), f"torso.stage{s}.block{b}.conv0", stride=1, padding=1)
                    image = image + self._convolution(_relu(inner), f"torso.stage{s}.block{b}.conv1", stride=1,
                                                      padding=1)
        else:
            strides = [1] if torso["kind"] == "minatar" else [4, 2, 1]
            for s, stride in enumerate(strides):
                image = _relu(self._convolution(image, f"torso.stage{s}.conv", stride=stride, padding=0))
        flat = _relu(image.reshape(len(image), -1))
        return _relu(flat @ self.tensors["torso.dense.weight"] + self.tensors["torso.dense.bias"])

    def _convolution(self, image: Array, name: str, stride: int, padding: int) -> Array:
        weight = self.tensors[f"{name}.weight"]  # [k, k, Cin, Cout]
        k = weight.shape[0]
        padded = np.pad(image, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
        windows = np.lib.stride_tricks.sliding_window_view(padded, (k, k), axis=(1, 2))[:, ::stride, ::stride]
        # windows: [N, Ho, Wo, Cin, k, k]; the weights' order is (row, column, channel).
        out: Array = np.einsum("nhwcij,ijco->nhwo", windows, weight, optimize=True).astype(np.float32)
        return out + self.tensors[f"{name}.bias"]

    def _lstm(self, x: Array, state: State) -> tuple[Array, State]:
        hidden, cell = state
        h = hidden.shape[1]
        z = x @ self.tensors["core.input_weight"] + hidden @ self.tensors["core.recurrent_weight"]
        z = z + self.tensors["core.bias"]
        i, f = _sigmoid(z[:, :h]), _sigmoid(z[:, h : 2 * h])
        g, o = np.tanh(z[:, 2 * h : 3 * h]), _sigmoid(z[:, 3 * h :])
        cell = (f * cell + i * g).astype(np.float32)
        hidden = (o * np.tanh(cell)).astype(np.float32)
        return hidden, (hidden, cell)

    def _value_transform(self) -> tuple[np.float32, np.float32]:
        normalization = self.network.get("returnNormalization", "none")
        if normalization == "none" or "returns.mean" not in self.tensors:
            return np.float32(1), np.float32(0)
        mean = self.tensors["returns.mean"][0]
        variance = max(self.tensors["returns.second_moment"][0] - mean * mean, np.float32(0))
        scale = np.float32(max(np.sqrt(variance), np.float32(MINIMUM_RETURN_SCALE)))
        return scale, (mean if normalization == "popart" else np.float32(0))


def load_policy(path: str | Path) -> Policy:
    """The policy in a file written by `shoal export`."""
    tensors, metadata = read_safetensors(path)
    if metadata.get("format") != "shoal-policy/1":
        raise ValueError(f"{path} is not a policy exported by shoal export (format {metadata.get('format')!r})")
    return Policy(json.loads(metadata["shoal.network"]), tensors)


def _relu(x: Array) -> Array:
    rectified: Array = np.maximum(x, np.float32(0))
    return rectified


def _sigmoid(x: Array) -> Array:
    return (1 / (1 + np.exp(-x))).astype(np.float32)


def _max_pool(image: Array) -> Array:
    """3 x 3 windows, stride 2, padding 1 that no window picks."""
    padded = np.pad(image, ((0, 0), (1, 1), (1, 1), (0, 0)), constant_values=-np.inf)
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(1, 2))[:, ::2, ::2]
    pooled: Array = windows.max(axis=(-2, -1)).astype(np.float32)
    return pooled
