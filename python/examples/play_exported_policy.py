"""Plays a policy exported by `shoal export` in a gymnasium environment, with numpy alone (no Shoal, no torch).

    shoal export runs/<run> --out policy.safetensors
    python examples/play_exported_policy.py policy.safetensors CartPole-v1 --episodes 10

Actions are the policy's most likely ones (the largest logit, or the Gaussian's means clipped to the action space);
a recurrent policy's state is carried through each episode.
"""

from __future__ import annotations

import argparse
from typing import Any

import gymnasium as gym
import numpy as np

from shoal_env import load_policy


def greedy_action(outputs: np.ndarray, space: gym.Space[Any]) -> object:
    """The most likely action for one row of policy outputs."""
    if isinstance(space, gym.spaces.Discrete):
        return int(np.argmax(outputs))
    assert isinstance(space, gym.spaces.Box)
    means = outputs[: space.shape[0]]
    return np.clip(means, space.low, space.high).astype(space.dtype)


def play(path: str, env_id: str, episodes: int, seed: int) -> list[float]:
    """Each episode's return."""
    policy = load_policy(path)
    env = gym.make(env_id)
    returns = []
    for episode in range(episodes):
        observation, _ = env.reset(seed=seed + episode)
        state = None
        total, done = 0.0, False
        while not done:
            batch = np.asarray(observation)[None]
            if policy.recurrent:
                outputs, _, state = policy(batch, state)
            else:
                outputs, _ = policy(batch)
            observation, reward, terminated, truncated, _ = env.step(greedy_action(outputs[0], env.action_space))
            total += float(reward)
            done = terminated or truncated
        returns.append(total)
    return returns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("policy", help="a safetensors file written by `shoal export`")
    parser.add_argument("env", help="a gymnasium environment id, e.g. CartPole-v1")
    parser.add_argument("--episodes", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    returns = play(arguments.policy, arguments.env, arguments.episodes, arguments.seed)
    print(f"{arguments.env}: {len(returns)} episodes, return {np.mean(returns):.2f} ± {np.std(returns):.2f}")


if __name__ == "__main__":
    main()
