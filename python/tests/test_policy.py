"""shoal_env.load_policy on small hand-written files (Shoal's own exports are checked against its network by the Swift
integration tests)."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from shoal_env.policy import load_policy, read_safetensors


def write_policy(path: Path, network: dict[str, Any], tensors: dict[str, Any], fmt: str = "shoal-policy/1") -> None:
    header: dict[str, Any] = {"__metadata__": {"format": fmt, "shoal.network": json.dumps(network)}}
    body = b""
    for name, values in tensors.items():
        array = np.asarray(values, dtype="<f4")
        offsets = [len(body), len(body) + array.nbytes]
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": offsets}
        body += array.tobytes()
    encoded = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(encoded)) + encoded + body)


def linear(observations: int, head: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"observationSize": observations, "hiddenSizes": [], "activation": "tanh", "head": head, **extra}


def test_a_linear_policy_is_its_affine_maps(tmp_path: Path) -> None:
    weight, bias = np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([0.25, 0.0])
    write_policy(tmp_path / "p.safetensors", linear(2, {"categorical": {"actions": 2}}),
                 {"policy.weight": weight, "policy.bias": bias, "value.weight": [[1.0], [1.0]], "value.bias": [3.0]})
    policy = load_policy(tmp_path / "p.safetensors")
    outputs, values = policy(np.array([[1.0, 2.0], [0.0, -1.0]]))
    np.testing.assert_allclose(outputs, np.array([[1.0, 2.0], [0.0, -1.0]]) @ weight + bias, rtol=1e-6)
    np.testing.assert_allclose(values, [6.0, 2.0])
    assert not policy.recurrent


def test_gaussian_heads_append_log_stds_and_popart_gives_returns(tmp_path: Path) -> None:
    network = linear(1, {"gaussian": {"dimensions": 1}}, returnNormalization="popart")
    write_policy(tmp_path / "p.safetensors", network, {
        "policy.weight": [[2.0]], "policy.bias": [0.0], "value.weight": [[1.0]], "value.bias": [0.0],
        "policy.log_std": [-0.5], "returns.mean": [2.0], "returns.second_moment": [13.0], "returns.updates": [1.0],
    })
    outputs, values = load_policy(tmp_path / "p.safetensors")(np.array([[1.5]]))
    np.testing.assert_allclose(outputs, [[3.0, -0.5]])
    np.testing.assert_allclose(values, [1.5 * 3.0 + 2.0])  # sigma = sqrt(13 - 4) = 3, mu = 2


def test_uint8_observations_are_scaled_then_normalised(tmp_path: Path) -> None:
    network = linear(1, {"categorical": {"actions": 1}}, observationDType="uint8", normalizeObservations=True)
    write_policy(tmp_path / "p.safetensors", network, {
        "policy.weight": [[1.0]], "policy.bias": [0.0], "value.weight": [[0.0]], "value.bias": [0.0],
        "observations.mean": [0.5], "observations.variance": [0.25], "observations.count": [10.0],
    })
    outputs, _ = load_policy(tmp_path / "p.safetensors")(np.array([[255]], dtype=np.uint8))
    np.testing.assert_allclose(outputs, [[(1.0 - 0.5) / 0.5]], rtol=1e-5)


def test_files_that_are_not_shoal_policies_are_refused(tmp_path: Path) -> None:
    write_policy(tmp_path / "p.safetensors", linear(1, {"categorical": {"actions": 1}}), {"x": [1.0]}, fmt="other")
    with pytest.raises(ValueError, match="not a policy exported by shoal export"):
        load_policy(tmp_path / "p.safetensors")
    tensors, metadata = read_safetensors(tmp_path / "p.safetensors")
    assert tensors["x"].tolist() == [1.0] and metadata["format"] == "other"
