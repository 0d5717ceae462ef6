"""Environments that fail on purpose, for Shoal's fault tests (served as python:shoal_fault_envs:<callable>)."""

from __future__ import annotations

from typing import Any

import gymnasium as gym


class FailingCartPole(gym.Wrapper[Any, Any, Any, Any]):
    """CartPole-v1 whose step raises every `every`-th call, as a buggy simulator would."""

    def __init__(self, every: int = 200) -> None:
        super().__init__(gym.make("CartPole-v1"))
        self.every = every
        self.calls = 0

    def step(self, action: Any) -> tuple[Any, Any, bool, bool, dict[str, Any]]:
        self.calls += 1
        if self.calls % self.every == 0:
            raise RuntimeError(f"simulated failure at call {self.calls}")
        return self.env.step(action)
