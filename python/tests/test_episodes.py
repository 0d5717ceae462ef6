"""A served environment's episodes equal the same environment stepped by hand, through a real server process.

In SAME_STEP mode (SyncVectorEnv), the reference is built as SyncVectorEnv builds its environments: environment i is
reset with seed i of the list, and its autoresets are resets without a seed, which go on drawing from that
environment's own generator. In NEXT_STEP mode (a native vector env), the reference is the same native vector env,
reset with the first seed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gymnasium as gym
import numpy as np
import numpy.typing as npt
from conftest import running_server

from shoal_env._proto import env_pb2
from shoal_env.client import EnvClient
from shoal_env.observations import ObservationLayout

Policy = Callable[[npt.NDArray[Any], int], npt.NDArray[Any]]


def compare_with_hand(
    endpoint: str,
    make_one: Callable[[], gym.Env[Any, Any]],
    seeds: list[int],
    steps: int,
    policy: Policy,
    env_action: Callable[[Any], Any] = lambda action: action,
) -> dict[str, int]:
    """Steps the server and M hand-made environments alike and checks every reply; counts the episode ends."""
    envs = [make_one() for _ in seeds]
    layout = ObservationLayout(envs[0].observation_space)
    counts = {"terminated": 0, "truncated": 0}
    with EnvClient(endpoint, deadline=20) as client:
        spec = client.hello("episodes test")
        assert spec.num_envs == len(seeds) and spec.autoreset_mode == env_pb2.AUTORESET_MODE_SAME_STEP
        observations = client.reset(seeds)
        expected = layout.encode_rows([env.reset(seed=seed)[0] for env, seed in zip(envs, seeds)])
        assert observations.dtype == expected.dtype and np.array_equal(observations, expected)
        returns, lengths = np.zeros(len(seeds)), np.zeros(len(seeds), np.int64)
        for t in range(steps):
            actions = policy(observations, t)
            got = client.step(actions)
            finals, next_firsts, episodes, ended = [], [], [], []
            for i, env in enumerate(envs):
                observation, reward, terminated, truncated, _ = env.step(env_action(actions[i]))
                assert got.rewards[i] == float(reward), (t, i)
                assert got.terminated[i] == terminated and got.truncated[i] == truncated, (t, i)
                returns[i] += float(reward)
                lengths[i] += 1
                if terminated or truncated:
                    ended.append(i)
                    finals.append(observation)
                    episodes.append((returns[i], lengths[i]))
                    returns[i], lengths[i] = 0.0, 0
                    counts["terminated" if terminated else "truncated"] += 1
                    observation, _ = env.reset()
                    next_firsts.append(observation)
                expected_row = layout.encode_rows([observation])[0]
                assert np.array_equal(got.observations[i], expected_row), (t, i)
            assert got.ended == ended, t
            if ended:
                assert np.array_equal(got.final_observations, layout.encode_rows(finals)), t
                assert got.episode_returns == [float(r) for r, _ in episodes], t
                assert got.episode_lengths == [int(n) for _, n in episodes], t
            else:
                assert got.final_observations.shape == (0, *layout.shape)
            observations = got.observations
    return counts


def balance_or_fall(observations: npt.NDArray[Any], t: int) -> npt.NDArray[np.int64]:
    """Environments 0 and 1 balance the pole to the time limit; the others push by the pole's angle and fall."""
    balance = (observations @ np.array([0.1, 0.5, 1.0, 1.0]) > 0).astype(np.int64)
    fall = (observations[:, 2] > 0).astype(np.int64)
    return np.where(np.arange(len(observations)) < 2, balance, fall)


def test_cartpole_episodes_equal_single_envs_stepped_by_hand(ipc_endpoint: str) -> None:
    with running_server(ipc_endpoint, "gymnasium:CartPole-v1", "--num-envs", "4", "--vectorization", "sync"):
        counts = compare_with_hand(
            ipc_endpoint, lambda: gym.make("CartPole-v1"), [11, 22, 33, 44], 620, balance_or_fall
        )
    assert counts["truncated"] >= 2, counts  # the time limit at 500
    assert counts["terminated"] >= 10, counts


def test_next_step_cartpole_equals_its_own_vector_env_stepped_in_process(ipc_endpoint: str) -> None:
    """auto serves CartPole by CartPoleVectorEnv in NEXT_STEP mode: every reply equals that env's own step, episodes
    are counted without reset steps, and a reset step has reward 0, no flags, and ends nothing."""
    seeds = [7, 8, 9, 10]
    reference = gym.make_vec("CartPole-v1", num_envs=len(seeds), vectorization_mode="vector_entry_point")
    counts = {"terminated": 0, "truncated": 0, "reset steps": 0}
    with running_server(ipc_endpoint, "gymnasium:CartPole-v1", "--num-envs", str(len(seeds))):
        with EnvClient(ipc_endpoint, deadline=20) as client:
            spec = client.hello("next-step test")
            assert spec.autoreset_mode == env_pb2.AUTORESET_MODE_NEXT_STEP and "CartPoleVectorEnv" in spec.server
            observations = client.reset(seeds)
            assert np.array_equal(observations, reference.reset(seed=seeds[0])[0])
            lengths = np.zeros(len(seeds), np.int64)
            resetting = np.zeros(len(seeds), np.bool_)
            for t in range(620):
                actions = balance_or_fall(observations, t)
                got = client.step(actions)
                expected, rewards, terminated, truncated, _ = reference.step(actions)
                assert np.array_equal(got.observations, expected), t
                assert got.rewards.tolist() == rewards.tolist(), t
                assert got.terminated.tolist() == terminated.tolist(), t
                assert got.truncated.tolist() == truncated.tolist(), t
                ended = np.flatnonzero(terminated | truncated)
                assert got.ended == ended.tolist(), t
                assert np.array_equal(got.final_observations, expected[ended]), t  # the episodes' last observations
                # A reset step: the next episode's first observation, reward 0, no flags, in no episode.
                assert np.all(got.rewards[resetting] == 0.0), t
                assert not np.any(got.terminated[resetting] | got.truncated[resetting]), t
                counts["reset steps"] += int(resetting.sum())
                lengths += ~resetting
                assert got.episode_lengths == lengths[ended].tolist(), t
                assert got.episode_returns == [float(n) for n in lengths[ended]], t  # CartPole's return is its length
                counts["terminated"] += int(terminated.sum())
                counts["truncated"] += int(truncated.sum())
                lengths[ended] = 0
                resetting = terminated | truncated
                observations = got.observations
    assert counts["truncated"] >= 2, counts  # the time limit at 500
    assert counts["terminated"] >= 10 and counts["reset steps"] >= 10, counts


def test_pendulum_episodes_equal_by_hand_with_box_actions_clipped(ipc_endpoint: str) -> None:
    rng = np.random.default_rng(5)

    def out_of_bounds(observations: npt.NDArray[Any], t: int) -> npt.NDArray[np.float32]:
        return rng.uniform(-4.0, 4.0, (len(observations), 1)).astype(np.float32)

    def clipped(action: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        return np.clip(action, -2.0, 2.0).astype(np.float32)

    with running_server(ipc_endpoint, "gymnasium:Pendulum-v1", "--num-envs", "3", "--env-args", '{"g": 9.81}'):
        counts = compare_with_hand(
            ipc_endpoint, lambda: gym.make("Pendulum-v1", g=9.81), [0, 1, 2**40], 430, out_of_bounds, clipped
        )
    assert counts == {"terminated": 0, "truncated": 6}  # two time limits of 200 steps in each of 3 environments


def test_discrete_observations_and_actions_with_starts_equal_by_hand(ipc_endpoint: str) -> None:
    from shoal_test_envs import CountingEnv

    with running_server(ipc_endpoint, "python:shoal_test_envs:CountingEnv", "--num-envs", "3", "--env-args",
                        '{"length": 4}'):
        counts = compare_with_hand(
            ipc_endpoint,
            lambda: CountingEnv(length=4),
            [1, 2, 3],
            10,
            lambda observations, t: np.array([t % 3, (t + 1) % 3, 2], np.int64),
            lambda index: int(index) - 1,  # the wire's index without the start of Discrete(3, start=-1)
        )
    assert counts == {"terminated": 6, "truncated": 0}


def test_dict_observations_follow_the_layout_of_env_proto(ipc_endpoint: str) -> None:
    from shoal_test_envs import DictEnv

    with running_server(ipc_endpoint, "python:shoal_test_envs:DictEnv", "--num-envs", "2"):
        with EnvClient(ipc_endpoint, deadline=20) as client:
            spec = client.hello()
            assert [entry.key for entry in spec.observation_space.dict.entries] == ["keys", "mode", "pos"]
            assert list(spec.observation.shape) == [5 + 3 + 2]
            client.reset([0, 1])
            got = client.step(np.array([[1, 2], [0, 1]], np.int64))
        # keys one-hots (2 + 3), mode one-hot (3), pos (2), as float32 since the dtypes differ
        assert got.observations.dtype == np.float32
        assert got.observations.tolist() == [
            [0, 1, 0, 0, 1, 0, 1, 0, np.float32(0.1), np.float32(-0.1)],
            [1, 0, 0, 1, 0, 0, 1, 0, np.float32(0.1), np.float32(-0.1)],
        ]
        compare_with_hand(
            ipc_endpoint,
            DictEnv,
            [5, 6],
            9,
            lambda observations, t: np.array([[t % 2, t % 3], [1, 2]], np.int64),
        )


def test_box_actions_are_clipped_and_cast_by_the_server(ipc_endpoint: str) -> None:
    with running_server(ipc_endpoint, "python:shoal_test_envs:EchoBoxEnv", "--num-envs", "2"):
        with EnvClient(ipc_endpoint, deadline=20) as client:
            client.hello()
            client.reset()
            got = client.step(np.array([[9.0, -9.0], [0.5, 0.75]], np.float32))
    assert got.observations.dtype == np.float64
    assert got.observations.tolist() == [[2.0, 0.0], [0.5, 0.75]]


def test_episode_figures_come_from_record_episode_statistics_when_the_env_keeps_them(ipc_endpoint: str) -> None:
    with running_server(ipc_endpoint, "python:shoal_test_envs:make_clipped_pendulum", "--num-envs", "2"):
        with EnvClient(ipc_endpoint, deadline=20) as client:
            spec = client.hello()
            assert spec.max_episode_steps == 5
            client.reset([3, 4])
            clipped_sum = np.zeros(2)
            for _ in range(5):
                got = client.step(np.full((2, 1), 2.0, np.float32))
                clipped_sum += got.rewards
    assert got.ended == [0, 1] and got.episode_lengths == [5, 5]
    assert np.all(clipped_sum == -0.5)  # every clipped reward is -0.1
    assert all(episode_return < -0.5 for episode_return in got.episode_returns)  # the unclipped returns
