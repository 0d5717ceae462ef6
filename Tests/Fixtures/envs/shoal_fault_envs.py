"""Environments that fail on purpose, for Shoal's fault tests (served as python:shoal_fault_envs:<callable>)."""

from __future__ import annotations

import itertools
from typing import Any

import gymnasium as gym

_instances = itertools.count()


class FailingCartPole(gym.Wrapper[Any, Any, Any, Any]):
    """CartPole-v1 whose first instance in a server raises on every `every`-th step, as a buggy simulator would: one
    failure per `every` steps of the server's vector environment."""

    def __init__(self, every: int = 200) -> None:
        super().__init__(gym.make("CartPole-v1"))
        self.every = every
        self.fails = next(_instances) == 0
        self.calls = 0

    def step(self, action: Any) -> tuple[Any, Any, bool, bool, dict[str, Any]]:
        self.calls += 1
        if self.fails and self.calls % self.every == 0:
            raise RuntimeError(f"simulated failure at call {self.calls}")
        return self.env.step(action)
