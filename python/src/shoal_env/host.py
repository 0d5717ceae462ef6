"""The M environments of a server: reset and step them, with the wire's observation layout and action decoding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gymnasium as gym
import numpy as np
import numpy.typing as npt
from gymnasium import spaces
from gymnasium.vector import AutoresetMode

from shoal_env import __version__
from shoal_env._proto import env_pb2, tensor_pb2
from shoal_env.actions import ActionDecoder
from shoal_env.episodes import EpisodeCounters
from shoal_env.observations import ObservationLayout
from shoal_env.spaces import space_to_proto
from shoal_env.vector import VectorEnvironment

#: The protocol's value of each autoreset mode a server serves in.
AUTORESET_MODES = {
    AutoresetMode.SAME_STEP: env_pb2.AUTORESET_MODE_SAME_STEP,
    AutoresetMode.NEXT_STEP: env_pb2.AUTORESET_MODE_NEXT_STEP,
}

#: Seeds the server draws for a reset without seeds lie in [0, 2**63).
_SEED_BOUND = 2**63


class RequestError(ValueError):
    """A request that cannot be carried out as asked; the environments are untouched."""


class NeedsResetError(RequestError):
    """A step asked of environments that have not been reset since the session began or since a failure."""


class FinalObservationError(RuntimeError):
    """A vector env that ended an episode without reporting its final observation."""


@dataclass
class Step:
    """What one step of the M environments produced, observations already in the wire's layout.

    `observations` may be the vector env's own buffer: encode it before the next step. In NEXT_STEP mode, an
    environment whose episode ended has its last observation in `observations` (and in `final_observations`), and its
    next step is a reset step, which ends nothing (see vector.py).
    """

    observations: npt.NDArray[Any]
    rewards: npt.NDArray[np.float64]
    terminated: npt.NDArray[np.bool_]
    truncated: npt.NDArray[np.bool_]
    #: Indices of the environments whose episode ended, increasing.
    ended: npt.NDArray[np.intp]
    #: [K, ...], the final observation of each episode in `ended`.
    final_observations: npt.NDArray[Any]
    #: (return, length) of each episode in `ended`.
    episodes: list[tuple[float, int]]


class EnvHost:
    """Resets and steps a vector env for the protocol, counting episodes; `seed` seeds the server's own seed draws."""

    def __init__(self, vector: VectorEnvironment, seed: int | None = None) -> None:
        self.vector = vector
        self.num_envs = vector.num_envs
        env = vector.env
        self.layout = ObservationLayout(env.single_observation_space, "observation space")
        self.actions = ActionDecoder(env.single_action_space, self.num_envs, "action space")
        self.spec = env_pb2.EnvSpec(
            env_name=vector.name,
            num_envs=self.num_envs,
            observation_space=space_to_proto(env.single_observation_space, "observation space"),
            action_space=space_to_proto(env.single_action_space, "action space"),
            observation=self.layout.spec,
            max_episode_steps=vector.max_episode_steps,
            server=f"shoal-env {__version__}, gymnasium {gym.__version__}, {vector.implementation}",
            autoreset_mode=AUTORESET_MODES[vector.autoreset_mode],
        )
        self.next_step = vector.autoreset_mode == AutoresetMode.NEXT_STEP
        self.counters = EpisodeCounters(self.num_envs, vector.autoreset_mode)
        self._seeds = np.random.default_rng(seed)
        self._needs_reset = True
        #: Environment steps served (M per step).
        self.steps = 0

    def restart(self) -> None:
        """A new session: every episode starts afresh, and a reset must come before the next step."""
        self.counters.restart()
        self._needs_reset = True

    def reset(self, seeds: list[int] | None = None) -> npt.NDArray[Any]:
        """Starts a new episode in every environment (with one seed each, or seeds the server draws)."""
        if seeds is not None and len(seeds) != self.num_envs:
            raise RequestError(f"a reset needs {self.num_envs} seeds, one per environment, or none; got {len(seeds)}")
        if seeds is None:
            seeds = [int(seed) for seed in self._seeds.integers(0, _SEED_BOUND, size=self.num_envs)]
        self._needs_reset = True
        if self.vector.vectorization == "sync":
            observations, _ = self.vector.env.reset(seed=list(seeds))  # type: ignore[arg-type]
        else:
            # A native vector env takes one seed and seeds its environments from it.
            observations, _ = self.vector.env.reset(seed=seeds[0])
        self.counters.restart()
        encoded = self.layout.encode(observations, self.num_envs)
        self._needs_reset = False
        return encoded

    def step(self, actions: tensor_pb2.Tensor) -> Step:
        """Steps every environment once with the actions of the wire (checked before anything is stepped)."""
        decoded = self.actions.decode(actions)
        if self._needs_reset:
            raise NeedsResetError("the environments need a reset before a step (after a hello or a failed request)")
        self._needs_reset = True  # until this step has gone through
        observations, rewards, terminated, truncated, infos = self.vector.env.step(decoded)
        rewards = np.asarray(rewards, dtype=np.float64)
        terminated = np.asarray(terminated, dtype=np.bool_)
        truncated = np.asarray(truncated, dtype=np.bool_)
        ended = np.flatnonzero(terminated | truncated)
        encoded = self.layout.encode(observations, self.num_envs)
        # NEXT_STEP: the step's observations of the ended environments are their episodes' last.
        finals = encoded[ended] if self.next_step else self._final_observations(ended, infos)
        episodes = self.counters.step(rewards, ended, infos)
        self._needs_reset = False
        self.steps += self.num_envs
        return Step(encoded, rewards, terminated, truncated, ended, finals, episodes)

    def _final_observations(self, ended: npt.NDArray[np.intp], infos: dict[str, Any]) -> npt.NDArray[Any]:
        if len(ended) == 0:
            return np.empty((0, *self.layout.shape), dtype=self.layout.dtype)
        final, mask = infos.get("final_obs"), infos.get("_final_obs")
        if final is None or mask is None or not np.all(np.asarray(mask)[ended]):
            raise FinalObservationError(
                f"{self.vector.implementation} ended episodes of environments {ended.tolist()} without their final "
                f"observations in infos['final_obs']"
            )
        if isinstance(final, dict):  # a vector env that batches Dict observations itself
            return self.layout.encode({key: np.asarray(value)[ended] for key, value in final.items()}, len(ended))
        if isinstance(final, np.ndarray) and final.dtype != object:  # a batched array [M, ...]
            return self.layout.encode(final[ended], len(ended))
        rows = [final[env] for env in ended.tolist()]
        if isinstance(self.vector.env.single_observation_space, spaces.Box):
            return self.layout.encode(np.stack(rows), len(rows))
        return self.layout.encode_rows(rows)
