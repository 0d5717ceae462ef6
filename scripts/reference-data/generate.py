#!/usr/bin/env python3
"""Regenerates Shoal's reference data from independent implementations: gymnasium and rlax.

Writes, under the output folder (default Tests/Fixtures/reference in the repository):
  envs/<Env>.json         episodes recorded with gymnasium, one file per entry of ENVS;
  vtrace/rlax_cases.json  rlax.vtrace_td_error_and_advantage in float64;
  ppo/rlax_cases.json     rlax.clipped_surrogate_pg_loss in float64, gradient by jax.grad.
The formats are described in the README.md beside the data. Every random draw comes from a
fixed seed, so the output is the same on every run. check.py replays or recomputes such files.
"""
from __future__ import annotations

import argparse
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import gymnasium as gym
import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402  (after enabling float64)
import numpy as np  # noqa: E402
import rlax  # noqa: E402

Policy = Callable[[np.random.Generator, gym.Space, np.ndarray, int], Any]


def random_policy(rng: np.random.Generator, space: gym.Space, obs: np.ndarray, episode: int) -> Any:
    """A uniformly random action; a Box's range is widened by 25% so that the environment must clip."""
    if isinstance(space, gym.spaces.Discrete):
        return int(space.start) + int(rng.integers(space.n))
    return rng.uniform(1.25 * space.low, 1.25 * space.high).tolist()


def cartpole_policy(rng: np.random.Generator, space: gym.Space, obs: np.ndarray, episode: int) -> Any:
    """Random in even episodes (the pole soon falls); in odd ones a balancing rule with 10% random
    actions, so that some episodes reach the time limit."""
    if episode % 2 == 0 or rng.random() < 0.1:
        return int(rng.integers(2))
    return int(obs[2] + 0.5 * obs[3] > 0)


def state_observation(env: gym.Env) -> np.ndarray:
    """The observation of environments whose observation is their state as float32."""
    return np.array(env.state, dtype=np.float32)


@dataclass(frozen=True)
class EnvEntry:
    """One recorded environment: its internal state is `env.unwrapped.state`."""

    gym_id: str
    state_layout: str  # names of the entries of env.unwrapped.state
    state_dtype: type = np.float64  # dtype of env.unwrapped.state after reset
    observe: Callable[[gym.Env], np.ndarray] = state_observation  # observation of env.unwrapped
    policy: Policy = random_policy


# Adding an environment = adding one line.
ENVS: list[EnvEntry] = [
    EnvEntry("Acrobot-v1", "theta1, theta2, dtheta1, dtheta2", np.float32, lambda env: env._get_ob()),
    EnvEntry("CartPole-v1", "x, x_dot, theta, theta_dot", policy=cartpole_policy),
    EnvEntry("MountainCar-v0", "position, velocity"),
    EnvEntry("Pendulum-v1", "theta, theta_dot", observe=lambda env: env._get_obs()),
]
# These seeds, and the order of the random draws below, reproduce the committed data: change neither lightly.
ENV_SEED, EPISODES = 11, 8
VTRACE_SEED, VTRACE_CASES = 1, 60
PPO_SEED, PPO_CASES = 7, 40


def exp(x: np.ndarray) -> np.ndarray:
    """exp through libm, element by element: numpy's vectorised exp can differ by an ulp between CPUs."""
    return np.array([math.exp(v) for v in x])


def log(x: np.ndarray) -> np.ndarray:
    """log through libm, element by element (see exp)."""
    return np.array([math.log(v) for v in x])


def step_action(action: Any, space: gym.Space) -> Any:
    """An action as passed to env.step: a recorded list of values becomes an array of the space's dtype (float32)."""
    return np.asarray(action, dtype=space.dtype) if isinstance(action, list) else action


def set_state(env: gym.Env, entry: EnvEntry, state: list[float]) -> np.ndarray:
    """Sets a reset environment's internal state; returns the observation of that state."""
    env.unwrapped.state = np.array(state, dtype=entry.state_dtype)
    return entry.observe(env.unwrapped)


def record_episode(env: gym.Env, entry: EnvEntry, rng: np.random.Generator, episode: int) -> dict[str, Any]:
    """Resets with a seed drawn from rng and steps until the episode ends, with actions from the policy."""
    obs, _ = env.reset(seed=int(rng.integers(2**31)))
    record: dict[str, Any] = {
        "state": np.asarray(env.unwrapped.state, dtype=np.float64).tolist(),
        "initial_observation": obs.tolist(),
        "actions": [], "observations": [], "rewards": [], "terminated": [], "truncated": [],
    }
    done = False
    while not done:
        action = entry.policy(rng, env.action_space, obs, episode)
        obs, reward, terminated, truncated, _ = env.step(step_action(action, env.action_space))
        for key, value in zip(("actions", "observations", "rewards", "terminated", "truncated"),
                              (action, obs.tolist(), float(reward), bool(terminated), bool(truncated))):
            record[key].append(value)
        done = terminated or truncated
    return record


def env_file(entry: EnvEntry) -> dict[str, Any]:
    """All episodes of one environment, drawn from one generator seeded with ENV_SEED."""
    env = gym.make(entry.gym_id)
    rng = np.random.default_rng(ENV_SEED)
    return {
        "env": entry.gym_id,
        "generator": f"gymnasium {gym.__version__}",
        "max_episode_steps": env.spec.max_episode_steps,
        "state_layout": entry.state_layout,
        "episodes": [record_episode(env, entry, rng, episode) for episode in range(EPISODES)],
    }


def vtrace_expected(case: dict[str, Any]) -> tuple[list[float], list[float]]:
    """vs and pg_advantages of one case by rlax: v_tm1 = values, v_t = values shifted by one then bootstrap_value."""
    values = np.array(case["values"])
    out = rlax.vtrace_td_error_and_advantage(
        values, np.append(values[1:], case["bootstrap_value"]), np.array(case["rewards"]),
        np.array(case["discounts"]), exp(np.array(case["log_rhos"])), case["lambda_"],
        case["clip_rho_threshold"], case["clip_pg_rho_threshold"])
    return (np.asarray(out.errors) + values).tolist(), np.asarray(out.pg_advantage).tolist()


def vtrace_case(rng: np.random.Generator) -> dict[str, Any]:
    """One trajectory: episode ends (discount 0) with probability 5% a step, ratios exp(N(0, 0.7))."""
    T = int(rng.integers(1, 40))
    values, bootstrap_value, rewards = rng.standard_normal(T), float(rng.standard_normal()), rng.uniform(-1, 1, T)
    gamma = rng.choice([0.9, 0.99, 0.997, 1.0])
    discounts = np.where(rng.random(T) < 0.05, 0.0, gamma)
    case = {
        "T": T, "log_rhos": rng.normal(0.0, 0.7, T).tolist(), "discounts": discounts.tolist(),
        "rewards": rewards.tolist(), "values": values.tolist(), "bootstrap_value": bootstrap_value,
        "lambda_": float(rng.choice([1.0, 1.0, 0.95, 0.8])),
        "clip_rho_threshold": float(rng.choice([1.0, 1.0, 2.0, 0.5])),
        "clip_pg_rho_threshold": float(rng.choice([1.0, 1.0, 2.0, 0.5])),
    }
    case["vs"], case["pg_advantages"] = vtrace_expected(case)
    return case


def ppo_expected(case: dict[str, Any]) -> tuple[float, list[float]]:
    """The clipped surrogate loss and its gradient with respect to log_pi (advantages held constant)."""
    log_mu, advantages = np.array(case["log_mu"]), np.array(case["advantages"])

    def loss(log_pi: jax.Array) -> jax.Array:
        return rlax.clipped_surrogate_pg_loss(jnp.exp(log_pi - log_mu), advantages, case["epsilon"])

    value, grad = jax.value_and_grad(loss)(np.array(case["log_pi"]))
    return float(value), np.asarray(grad).tolist()


def ppo_case(rng: np.random.Generator) -> dict[str, Any]:
    """One flat batch: behaviour log-probabilities log U(0.01, 1), the learner's off by N(0, σ)."""
    N = int(rng.integers(1, 64))
    log_mu = log(rng.uniform(0.01, 1.0, N))
    log_pi = log_mu + rng.normal(0.0, rng.choice([0.05, 0.2, 0.5]), N)
    case = {"N": N, "log_pi": log_pi.tolist(), "log_mu": log_mu.tolist(),
            "advantages": rng.standard_normal(N).tolist(), "epsilon": float(rng.choice([0.1, 0.2, 0.3]))}
    case["loss"], case["grad_log_pi"] = ppo_expected(case)
    return case


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Writes one file as a single line of JSON, as the existing files are."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    print(f"wrote {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = Path(__file__).resolve().parents[2] / "Tests/Fixtures/reference"
    parser.add_argument("out", nargs="?", type=Path, default=default,
                        help="output folder (default: Tests/Fixtures/reference in the repository)")
    out = parser.parse_args().out
    for entry in ENVS:
        write_json(out / "envs" / f"{entry.gym_id}.json", env_file(entry))
    rng = np.random.default_rng(VTRACE_SEED)
    write_json(out / "vtrace/rlax_cases.json", {
        "generator": "rlax.vtrace_td_error_and_advantage (float64)",
        "cases": [vtrace_case(rng) for _ in range(VTRACE_CASES)]})
    rng = np.random.default_rng(PPO_SEED)
    write_json(out / "ppo/rlax_cases.json", {
        "generator": "rlax.clipped_surrogate_pg_loss (float64), gradient by jax.grad",
        "cases": [ppo_case(rng) for _ in range(PPO_CASES)]})


if __name__ == "__main__":
    main()
