"""Named wrapper pipelines a server applies to each environment it hosts (`shoal-env serve --wrappers atari`).

A pipeline is what a preset can name where a config cannot hold Python: Shoal's Atari preset asks for `atari`, so that
`shoal train --set env=gymnasium:ALE/Pong-v5` trains on the frames the literature uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym
import numpy as np


@dataclass(frozen=True)
class Pipeline:
    """Wrappers around one environment, and the keyword arguments the environment must be made with for them."""

    wrap: Callable[[gym.Env[Any, Any]], gym.Wrapper[Any, Any, Any, Any]]
    #: Defaults for gymnasium.make (the user's env args win).
    make_args: dict[str, Any] = field(default_factory=dict)


def atari(env: gym.Env[Any, Any]) -> gym.Wrapper[Any, Any, Any, Any]:
    """gymnasium's standard Atari pipeline on an ALE environment made with frameskip 1: AtariPreprocessing (no-op
    starts up to 30, 4 frames skipped and max-pooled, grayscale, 84 x 84, no episode end on a life lost), then
    FrameStackObservation(4), then channels last: observations uint8 [84, 84, 4], the layout Shoal's torsos read."""
    preprocessed = gym.wrappers.AtariPreprocessing(
        env, noop_max=30, frame_skip=4, screen_size=84, terminal_on_life_loss=False
    )
    return channels_last(gym.wrappers.FrameStackObservation(preprocessed, 4))


def channels_last(env: gym.Env[Any, Any]) -> gym.Wrapper[Any, Any, Any, Any]:
    """Moves the first axis of a Box observation last ([C, H, W] to [H, W, C])."""
    space = env.observation_space
    if not isinstance(space, gym.spaces.Box) or len(space.shape) < 2:
        raise ValueError(f"channels_last needs an image Box observation space, not {space}")
    low, high = np.moveaxis(space.low, 0, -1), np.moveaxis(space.high, 0, -1)
    moved = gym.spaces.Box(low=low, high=high, dtype=space.dtype)  # type: ignore[arg-type]
    return gym.wrappers.TransformObservation(
        env, lambda observation: np.ascontiguousarray(np.moveaxis(observation, 0, -1)), moved
    )


#: The pipelines by name.
PIPELINES: dict[str, Pipeline] = {
    "atari": Pipeline(atari, make_args={"frameskip": 1}),
    "channels-last": Pipeline(channels_last),
}


def pipelines(names: list[str]) -> list[Pipeline]:
    """The pipelines named, in order; a KeyError naming the unknown one and the known ones."""
    unknown = [name for name in names if name not in PIPELINES]
    if unknown:
        raise KeyError(f"unknown wrapper {unknown[0]!r}; known: {', '.join(sorted(PIPELINES))}")
    return [PIPELINES[name] for name in names]
