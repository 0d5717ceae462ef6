"""examples/play_exported_policy.py on a hand-written CartPole controller and on a continuous action space."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import gymnasium as gym
import numpy as np

from test_policy import linear, write_policy


def load_example() -> ModuleType:
    path = Path(__file__).parent.parent / "examples" / "play_exported_policy.py"
    spec = importlib.util.spec_from_file_location("play_exported_policy", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_linear_controller_exported_as_a_policy_balances_the_pole(tmp_path: Path) -> None:
    # Push the way the pole is falling: logits (-(θ + θ'), θ + θ') over the observation (x, x', θ, θ').
    weight = np.array([[0.0, 0.0], [0.0, 0.0], [-1.0, 1.0], [-1.0, 1.0]])
    write_policy(tmp_path / "p.safetensors", linear(4, {"categorical": {"actions": 2}}),
                 {"policy.weight": weight, "policy.bias": [0.0, 0.0], "value.weight": np.zeros((4, 1)),
                  "value.bias": [0.0]})
    returns = load_example().play(str(tmp_path / "p.safetensors"), "CartPole-v1", episodes=3, seed=0)
    assert len(returns) == 3
    assert min(returns) > 100  # a random policy averages about 22


def test_greedy_actions_are_the_largest_logit_or_the_clipped_means() -> None:
    example = load_example()
    assert example.greedy_action(np.array([0.1, 0.7, 0.2]), gym.spaces.Discrete(3)) == 1
    box = gym.spaces.Box(low=-2.0, high=2.0, shape=(2,), dtype=np.float32)
    np.testing.assert_allclose(example.greedy_action(np.array([0.5, -3.0, 0.0, 0.0]), box), [0.5, -2.0])
