"""An environment that sees in pixels, for Shoal's tests of frames kept as bytes (served as
python:shoal_pixel_envs:BrightSide)."""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np


class BrightSide(gym.Env[np.ndarray, np.int64]):
    """An 8x8 grey image, one half of it lit (255): action 0 names the left half, 1 the right; each right answer earns
    1. Ten frames an episode, so a random policy scores about 5 and one that reads the pixels 10."""

    observation_space = gym.spaces.Box(0, 255, shape=(8, 8, 1), dtype=np.uint8)
    action_space = gym.spaces.Discrete(2)

    def __init__(self, length: int = 10) -> None:
        self.length = length
        self.steps = 0
        self.side = 0

    def _frame(self) -> np.ndarray:
        frame = np.zeros((8, 8, 1), dtype=np.uint8)
        frame[:, 4 * self.side : 4 * self.side + 4, 0] = 255
        return frame

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        super().reset(seed=seed)
        self.steps = 0
        self.side = int(self.np_random.integers(2))
        return self._frame(), {}

    def step(self, action: np.int64) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        reward = 1.0 if int(action) == self.side else 0.0
        self.steps += 1
        self.side = int(self.np_random.integers(2))
        return self._frame(), reward, self.steps >= self.length, False, {}
