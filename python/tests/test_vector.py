"""Building the vector env: the environment's own in the mode it declares, else SyncVectorEnv in SAME_STEP mode."""

from __future__ import annotations

import numpy as np
import pytest
from gymnasium.vector import AutoresetMode, SyncVectorEnv

from shoal_env._proto import env_pb2
from shoal_env.host import EnvHost
from shoal_env.tensors import to_tensor
from shoal_env.vector import REGISTRARS, EnvMakeError, make_vector_env


def test_cartpole_is_served_by_its_own_vector_env_in_next_step_mode() -> None:
    vector = make_vector_env("gymnasium:CartPole-v1", 3)
    assert vector.vectorization == "native" and vector.implementation == "CartPoleVectorEnv"
    assert vector.autoreset_mode == AutoresetMode.NEXT_STEP
    assert (vector.name, vector.num_envs, vector.max_episode_steps) == ("CartPole-v1", 3, 500)
    assert EnvHost(vector).spec.autoreset_mode == env_pb2.AUTORESET_MODE_NEXT_STEP
    assert make_vector_env("gymnasium:CartPole-v1", 3, vectorization="native").implementation == "CartPoleVectorEnv"
    sync = make_vector_env("gymnasium:CartPole-v1", 3, vectorization="sync")
    assert sync.vectorization == "sync" and isinstance(sync.env, SyncVectorEnv)
    assert sync.autoreset_mode == sync.env.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP
    assert EnvHost(sync).spec.autoreset_mode == env_pb2.AUTORESET_MODE_SAME_STEP


def test_environments_without_a_vector_env_are_served_by_sync_vector_env_in_same_step_mode() -> None:
    vector = make_vector_env("gymnasium:Pendulum-v1", 2)
    assert vector.vectorization == "sync" and vector.autoreset_mode == AutoresetMode.SAME_STEP
    with pytest.raises(EnvMakeError, match="no vectorised implementation"):
        make_vector_env("gymnasium:Pendulum-v1", 2, vectorization="native")


def test_a_native_vector_env_that_autoresets_on_the_same_step_is_taken() -> None:
    vector = make_vector_env("gymnasium:shoal_test_envs:ShoalTest/SameStep-v0", 2, {"max_episode_steps": 2})
    assert vector.vectorization == "native" and vector.implementation == "SameStepVectorEnv"
    assert vector.max_episode_steps == 2 and vector.autoreset_mode == AutoresetMode.SAME_STEP
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


def test_a_native_next_step_env_is_served_with_reset_steps_that_count_toward_no_episode() -> None:
    vector = make_vector_env("gymnasium:shoal_test_envs:ShoalTest/NextStep-v0", 2, {"max_episode_steps": 2})
    assert vector.vectorization == "native" and vector.autoreset_mode == AutoresetMode.NEXT_STEP
    host = EnvHost(vector)
    host.reset()
    steps = [host.step(to_tensor(np.zeros(2, np.int64))) for _ in range(6)]
    assert [step.ended.tolist() for step in steps] == [[], [0, 1], [], [], [0, 1], []]
    ends = steps[1]
    assert ends.truncated.tolist() == [True, True] and ends.observations.tolist() == [[2.0], [2.0]]
    assert ends.final_observations.tolist() == [[2.0], [2.0]] and ends.episodes == [(2.0, 2), (2.0, 2)]
    reset_step = steps[2]  # its observation is the next episode's first; no reward, no flags, ended nowhere
    assert reset_step.observations.tolist() == [[0.0], [0.0]] and reset_step.rewards.tolist() == [0.0, 0.0]
    assert not reset_step.terminated.any() and not reset_step.truncated.any()
    assert reset_step.final_observations.shape == (0, 1)
    assert steps[4].episodes == [(2.0, 2), (2.0, 2)]  # the reset step is not counted
    host.reset()  # a reset mid-episode leaves no reset step pending
    assert host.step(to_tensor(np.zeros(2, np.int64))).rewards.tolist() == [1.0, 1.0]


def test_a_next_step_env_reports_record_episode_statistics_figures() -> None:
    vector = make_vector_env("gymnasium:shoal_test_envs:ShoalTest/RecordedNextStep-v0", 2, {"max_episode_steps": 3})
    host = EnvHost(vector)
    host.reset()
    steps = [host.step(to_tensor(np.zeros(2, np.int64))) for _ in range(7)]
    assert sum(step.rewards.sum() for step in steps[:3]) == 3.0  # halved rewards
    assert steps[2].episodes == steps[6].episodes == [(3.0, 3), (3.0, 3)]  # the figures before halving


def test_a_native_vector_env_that_does_not_autoreset_falls_back_to_sync() -> None:
    vector = make_vector_env("gymnasium:shoal_test_envs:ShoalTest/Disabled-v0", 2)
    assert vector.vectorization == "sync" and vector.autoreset_mode == AutoresetMode.SAME_STEP
    with pytest.raises(EnvMakeError, match="autoresets in mode DISABLED, neither SAME_STEP nor NEXT_STEP"):
        make_vector_env("gymnasium:shoal_test_envs:ShoalTest/Disabled-v0", 2, vectorization="native")


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


def test_a_namespace_registered_on_request_is_registered_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(REGISTRARS, "ShoalOnRequest", ("shoal_test_envs", "register_test_namespace"))
    vector = make_vector_env("gymnasium:ShoalOnRequest/Counting-v0", 2)
    assert vector.num_envs == 2
    assert vector.max_episode_steps == 10


def test_a_namespace_whose_package_is_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(REGISTRARS, "Missing", ("no_such_package", "register_envs"))
    with pytest.raises(EnvMakeError, match="Missing namespace is registered by no_such_package.*pythonExecutable"):
        make_vector_env("gymnasium:Missing/Game-v1", 2)
