"""Building the vector env: same-step autoreset always, the environment's own vector env only when it does that."""

from __future__ import annotations

import numpy as np
import pytest
from gymnasium.vector import AutoresetMode, SyncVectorEnv

from shoal_env.host import EnvHost
from shoal_env.tensors import to_tensor
from shoal_env.vector import EnvMakeError, make_vector_env


def test_cartpole_is_served_by_sync_vector_env_since_its_own_vector_env_is_next_step_only() -> None:
    vector = make_vector_env("gymnasium:CartPole-v1", 3)
    assert vector.vectorization == "sync" and isinstance(vector.env, SyncVectorEnv)
    assert vector.env.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP
    assert (vector.name, vector.num_envs, vector.max_episode_steps) == ("CartPole-v1", 3, 500)
    with pytest.raises(EnvMakeError, match="autoresets in mode NEXT_STEP, not SAME_STEP"):
        make_vector_env("gymnasium:CartPole-v1", 3, vectorization="native")


def test_a_native_vector_env_that_autoresets_on_the_same_step_is_taken() -> None:
    vector = make_vector_env("gymnasium:shoal_test_envs:ShoalTest/SameStep-v0", 2, {"max_episode_steps": 2})
    assert vector.vectorization == "native" and vector.implementation == "SameStepVectorEnv"
    assert vector.max_episode_steps == 2
    host = EnvHost(vector)
    assert "SameStepVectorEnv" in host.spec.server
    host.reset()
    assert host.step(to_tensor(np.zeros(2, np.int64))).ended.tolist() == []
    step = host.step(to_tensor(np.zeros(2, np.int64)))
    assert step.ended.tolist() == [0, 1] and step.truncated.tolist() == [True, True]
    assert step.final_observations.tolist() == [[2.0], [2.0]] and step.observations.tolist() == [[0.0], [0.0]]
    assert step.episodes == [(2.0, 2), (2.0, 2)]
    sync = make_vector_env("gymnasium:shoal_test_envs:ShoalTest/SameStep-v0", 2, vectorization="sync")
    assert sync.vectorization == "sync"


def test_a_native_vector_env_that_is_next_step_falls_back_to_sync() -> None:
    vector = make_vector_env("gymnasium:shoal_test_envs:ShoalTest/NextStep-v0", 2)
    assert vector.vectorization == "sync" and vector.max_episode_steps == 0


def test_env_args_reach_the_environment_and_its_time_limit() -> None:
    vector = make_vector_env("gymnasium:Pendulum-v1", 2, {"g": 1.62, "max_episode_steps": 7})
    assert vector.max_episode_steps == 7
    assert vector.env.get_attr("g") == (1.62, 1.62)


def test_python_callables_are_served_by_sync_vector_env() -> None:
    vector = make_vector_env("python:shoal_test_envs:CountingEnv", 2, {"length": 9})
    assert vector.vectorization == "sync" and vector.name == "shoal_test_envs:CountingEnv"
    assert vector.env.get_attr("length") == (9, 9)
    limited = make_vector_env("python:shoal_test_envs:make_clipped_pendulum", 1)
    assert limited.max_episode_steps == 5
    with pytest.raises(EnvMakeError, match="only sync vectorization"):
        make_vector_env("python:shoal_test_envs:CountingEnv", 2, vectorization="native")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ("gymnasium:NoSuchEnv-v0", "NoSuchEnv"),
        ("python:no_such_module:make", "cannot import no_such_module.*PYTHONPATH"),
        ("python:shoal_test_envs:no_such_callable", "shoal_test_envs has no no_such_callable"),
        ("python:shoal_test_envs:gym", "not a callable"),
        ("python:shoal_test_envs", "python:<module>:<callable>"),
        ("python:numpy:zeros", "returned ndarray, not a gymnasium.Env"),
        ("CartPole-v1", "gymnasium:<id> or python:<module>:<callable>"),
    ],
)
def test_environments_that_cannot_be_made_say_why(env: str, message: str) -> None:
    with pytest.raises(EnvMakeError, match=message):
        make_vector_env(env, 2, {"shape": 3} if "zeros" in env else None)
