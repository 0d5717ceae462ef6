"""Named wrapper pipelines around each served environment (shoal-env serve --wrappers)."""

from __future__ import annotations

import numpy as np
import pytest

from shoal_env.vector import EnvMakeError, make_vector_env
from shoal_env.wrappers import PIPELINES, Pipeline


def test_channels_last_moves_the_planes_last() -> None:
    vector = make_vector_env("python:shoal_test_envs:PlanesEnv", 2, wrappers=["channels-last"])
    assert vector.env.single_observation_space.shape == (5, 6, 3)
    observations, _ = vector.env.reset(seed=0)
    assert observations.shape == (2, 5, 6, 3) and observations.dtype == np.uint8
    assert observations.flags["C_CONTIGUOUS"]
    # Pixel (h, w) of plane c was c + 10h + w; it is now at [h, w, c].
    assert observations[1, 4, 5, 2] == 2 + 40 + 5 and observations[0, 1, 0, 1] == 1 + 10


def test_unknown_wrappers_are_refused_naming_the_known_ones() -> None:
    with pytest.raises(EnvMakeError, match="unknown wrapper 'frames'; known: atari, channels-last"):
        make_vector_env("gymnasium:CartPole-v1", 2, wrappers=["frames"])


def test_wrappers_serve_single_environments_through_sync_vectorization() -> None:
    with pytest.raises(EnvMakeError, match="only sync vectorization"):
        make_vector_env("gymnasium:CartPole-v1", 2, vectorization="native", wrappers=["channels-last"])


def test_a_pipelines_make_arguments_are_defaults_the_users_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(PIPELINES, "short", Pipeline(lambda env: env, make_args={"max_episode_steps": 7}))
    wrapped = make_vector_env("gymnasium:CartPole-v1", 2, wrappers=["short"])
    assert wrapped.vectorization == "sync" and wrapped.max_episode_steps == 7
    overridden = make_vector_env("gymnasium:CartPole-v1", 2, {"max_episode_steps": 9}, wrappers=["short"])
    assert overridden.max_episode_steps == 9
