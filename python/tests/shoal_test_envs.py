"""Small environments for the tests, loaded by servers as python:shoal_test_envs:<callable>."""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces
from gymnasium.vector import AutoresetMode, VectorEnv


class CountingEnv(gym.Env[Any, Any]):
    """Discrete(5, start=2) observations that count steps; actions Discrete(3, start=-1); ends after `length` steps."""

    def __init__(self, length: int = 3) -> None:
        self.observation_space = spaces.Discrete(5, start=2)
        self.action_space = spaces.Discrete(3, start=-1)
        self.length = length
        self.t = 0

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
        super().reset(seed=seed)
        self.t = 0
        return 2 + int(self.np_random.integers(0, 2)), {}

    def step(self, action: Any) -> tuple[int, float, bool, bool, dict[str, Any]]:
        assert self.action_space.contains(action), action
        self.t += 1
        return 2 + self.t % 5, float(action), self.t >= self.length, False, {}


class DictEnv(gym.Env[Any, Any]):
    """Dict observations of a Box, a Discrete and a MultiDiscrete; MultiDiscrete actions echoed in the observation."""

    def __init__(self, length: int = 4) -> None:
        self.observation_space = spaces.Dict(
            {
                "pos": spaces.Box(-1.0, 1.0, (2,), np.float32),
                "mode": spaces.Discrete(3),
                "keys": spaces.MultiDiscrete([2, 3]),
            }
        )
        self.action_space = spaces.MultiDiscrete([2, 3])
        self.length = length
        self.t = 0

    def _observation(self, keys: Any) -> dict[str, Any]:
        pos = np.array([self.t / 10, -self.t / 10], dtype=np.float32)
        return {"pos": pos, "mode": self.t % 3, "keys": np.asarray(keys, dtype=np.int64)}

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
        super().reset(seed=seed)
        self.t = 0
        return self._observation([0, 0]), {}

    def step(self, action: Any) -> tuple[Any, float, bool, bool, dict[str, Any]]:
        assert self.action_space.contains(action), action
        self.t += 1
        return self._observation(action), 1.0, False, self.t >= self.length, {}


class FailingEnv(gym.Env[Any, Any]):
    """Box observations; action 1 makes step raise."""

    def __init__(self) -> None:
        self.observation_space = spaces.Box(-1.0, 1.0, (3,), np.float32)
        self.action_space = spaces.Discrete(2)

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
        super().reset(seed=seed)
        return self.np_random.uniform(-1, 1, 3).astype(np.float32), {}

    def step(self, action: Any) -> tuple[Any, float, bool, bool, dict[str, Any]]:
        if action == 1:
            raise ValueError("the environment broke on purpose")
        return np.zeros(3, np.float32), 0.0, False, False, {}


class EchoBoxEnv(gym.Env[Any, Any]):
    """Observes the action it was given (float64 Box actions in [-1, 2] x [0, 1]): shows clipping and casting."""

    def __init__(self) -> None:
        self.action_space = spaces.Box(np.array([-1.0, 0.0]), np.array([2.0, 1.0]), dtype=np.float64)
        self.observation_space = spaces.Box(-10.0, 10.0, (2,), np.float64)

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
        super().reset(seed=seed)
        return np.zeros(2), {}

    def step(self, action: Any) -> tuple[Any, float, bool, bool, dict[str, Any]]:
        assert isinstance(action, np.ndarray) and action.dtype == np.float64, action
        return np.array(action, dtype=np.float64), 0.0, False, False, {}


def make_uint16() -> gym.Env[Any, Any]:
    """An environment whose uint16 observations Shoal does not carry."""
    env = FailingEnv()
    env.observation_space = spaces.Box(0, 9, (2,), np.uint16)
    return env


def make_clipped_pendulum() -> gym.Env[Any, Any]:
    """Pendulum whose episodes RecordEpisodeStatistics counts inside a reward-clipping wrapper, with 5-step episodes."""
    env = gym.make("Pendulum-v1", max_episode_steps=5)
    env = gym.wrappers.RecordEpisodeStatistics(env)
    return gym.wrappers.ClipReward(env, -0.1, 0.1)


class SameStepVectorEnv(VectorEnv[Any, Any, Any]):
    """A native vector env that autoresets on the same step (CountingEnv's counting, M at once)."""

    metadata = {"autoreset_mode": AutoresetMode.SAME_STEP}

    def __init__(self, num_envs: int = 1, max_episode_steps: int = 3) -> None:
        self.num_envs = num_envs
        self.length = max_episode_steps
        self.single_observation_space = spaces.Box(0.0, 100.0, (1,), np.float32)
        self.single_action_space = spaces.Discrete(2)
        self.observation_space = gym.vector.utils.batch_space(self.single_observation_space, num_envs)
        self.action_space = gym.vector.utils.batch_space(self.single_action_space, num_envs)
        self.t = np.zeros(num_envs, np.int64)

    def reset(self, *, seed: Any = None, options: Any = None) -> tuple[Any, dict[str, Any]]:
        self.t[:] = 0
        return self.t[:, None].astype(np.float32), {}

    def step(self, actions: Any) -> tuple[Any, Any, Any, Any, dict[str, Any]]:
        self.t += 1
        ended = self.t >= self.length
        infos: dict[str, Any] = {}
        if ended.any():
            infos = {"final_obs": self.t[:, None].astype(np.float32), "_final_obs": ended.copy()}
            self.t[ended] = 0
        truncated = ended
        return self.t[:, None].astype(np.float32), np.ones(self.num_envs), np.zeros_like(ended), truncated, infos


class NextStepVectorEnv(SameStepVectorEnv):
    """SameStepVectorEnv's counting with NEXT_STEP autoreset, as gymnasium 1.4.0's CartPoleVectorEnv does it: the step
    after an episode's end resets the environment (reward 0, no flags) and observes 0."""

    metadata = {"autoreset_mode": AutoresetMode.NEXT_STEP}

    def __init__(self, num_envs: int = 1, max_episode_steps: int = 3) -> None:
        super().__init__(num_envs, max_episode_steps)
        self.resetting = np.zeros(num_envs, np.bool_)

    def reset(self, *, seed: Any = None, options: Any = None) -> tuple[Any, dict[str, Any]]:
        self.resetting[:] = False
        return super().reset(seed=seed, options=options)

    def step(self, actions: Any) -> tuple[Any, Any, Any, Any, dict[str, Any]]:
        resetting = self.resetting
        self.t = np.where(resetting, 0, self.t + 1)
        self.resetting = ~resetting & (self.t >= self.length)
        rewards = np.where(resetting, 0.0, 1.0)
        return self.t[:, None].astype(np.float32), rewards, np.zeros_like(resetting), self.resetting.copy(), {}


class DisabledVectorEnv(SameStepVectorEnv):
    """A native vector env that does not autoreset at all."""

    metadata = {"autoreset_mode": AutoresetMode.DISABLED}


def make_recorded_next_step(num_envs: int = 1, max_episode_steps: int = 3) -> VectorEnv[Any, Any, Any]:
    """NextStepVectorEnv whose episodes RecordEpisodeStatistics counts inside a wrapper that halves the rewards."""
    env = gym.wrappers.vector.RecordEpisodeStatistics(NextStepVectorEnv(num_envs, max_episode_steps))
    return gym.wrappers.vector.TransformReward(env, lambda rewards: rewards / 2)


gym.register("ShoalTest/SameStep-v0", entry_point=FailingEnv, vector_entry_point=SameStepVectorEnv)
gym.register("ShoalTest/NextStep-v0", entry_point=FailingEnv, vector_entry_point=NextStepVectorEnv)
gym.register("ShoalTest/Disabled-v0", entry_point=FailingEnv, vector_entry_point=DisabledVectorEnv)
gym.register("ShoalTest/RecordedNextStep-v0", entry_point=FailingEnv, vector_entry_point=make_recorded_next_step)


def register_test_namespace() -> None:
    """Registers ShoalOnRequest/Counting-v0 (CountingEnv), as a package that registers its ids only when asked does."""
    gym.register("ShoalOnRequest/Counting-v0", entry_point=CountingEnv, max_episode_steps=10)


class PlanesEnv(gym.Env[Any, Any]):
    """Channels-first uint8 images [3, 5, 6]: pixel (h, w) of plane c holds c + 10h + w."""

    observation_space = gym.spaces.Box(0, 255, shape=(3, 5, 6), dtype=np.uint8)
    action_space = gym.spaces.Discrete(2)

    def __init__(self) -> None:
        planes = np.arange(3, dtype=np.uint8)[:, None, None]
        self.image = planes + 10 * np.arange(5, dtype=np.uint8)[None, :, None] + np.arange(6, dtype=np.uint8)

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
        super().reset(seed=seed)
        return self.image.copy(), {}

    def step(self, action: Any) -> tuple[Any, float, bool, bool, dict[str, Any]]:
        return self.image.copy(), 0.0, False, False, {}
