#!/usr/bin/env python3
"""Checks reference data against gymnasium and rlax, and reports the largest differences.

Every *.json file under each folder given is checked; its kind is told by its keys (format in the README
beside the data):
  environment files: each episode is replayed in gymnasium from its recorded state with its recorded
    actions, and the observations, rewards, terminated and truncated flags and episode length compared;
  V-trace and PPO files: each case's expected values are recomputed from its inputs with rlax in float64
    (the same code as generate.py).
Exits 1 if any difference exceeds the tolerances, which default to the README's for float32 implementations.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

import gymnasium as gym
import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
from generate import ENVS, ppo_expected, set_state, step_action, vtrace_expected  # noqa: E402

STEP_KEYS = ("actions", "observations", "rewards", "terminated", "truncated")
VTRACE_ARRAYS = ("log_rhos", "discounts", "rewards", "values", "vs", "pg_advantages")
PPO_ARRAYS = ("log_pi", "log_mu", "advantages", "grad_log_pi")


def largest(actual: Any, expected: Any, relative: bool = False) -> float:
    """Largest |actual - expected|, divided by max(1, |expected|) when relative; 0 for empty arrays."""
    a, e = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if a.shape != e.shape:
        return float("inf")
    difference = np.abs(a - e) / (np.maximum(1.0, np.abs(e)) if relative else 1.0)
    return float(difference.max(initial=0.0))


def check_env(data: dict[str, Any], args: argparse.Namespace) -> tuple[list[str], str]:
    """Replays every episode; returns the problems found and a summary."""
    entry = next((e for e in ENVS if e.gym_id == data["env"]), None)
    if entry is None:
        return [f"{data['env']} is not in generate.py's ENVS"], ""
    env = gym.make(entry.gym_id)
    problems = []
    if data["max_episode_steps"] != env.spec.max_episode_steps:
        problems.append(f"max_episode_steps {data['max_episode_steps']}, gymnasium has {env.spec.max_episode_steps}")
    worst_obs = worst_reward = 0.0
    first = ""  # where observations or rewards first differ beyond the tolerance
    for i, episode in enumerate(data["episodes"]):
        if len({len(episode[key]) for key in STEP_KEYS}) != 1:
            problems.append(f"episode {i}: {', '.join(STEP_KEYS)} differ in length")
            continue
        env.reset(seed=0)
        worst_obs = max(worst_obs, largest(set_state(env, entry, episode["state"]), episode["initial_observation"]))
        for t, (action, observation, reward, terminated, truncated) in enumerate(zip(*(episode[k] for k in STEP_KEYS))):
            obs, r, term, trunc, _ = env.step(step_action(action, env.action_space))
            worst_obs, worst_reward = max(worst_obs, largest(obs, observation)), max(worst_reward, largest(r, reward))
            if not first and max(worst_obs, worst_reward) > args.env_atol:
                first = f" (first at episode {i} step {t})"
            last = t == len(episode["actions"]) - 1
            if (term, trunc) != (terminated, truncated) or (term or trunc) != last:
                problems.append(f"episode {i} step {t}: gymnasium says terminated={term}, truncated={trunc}; "
                                f"recorded {terminated}, {truncated} at step {t} of {len(episode['actions'])}")
                break
    if max(worst_obs, worst_reward) > args.env_atol:
        problems.append(f"observations or rewards differ beyond {args.env_atol}{first}")
    steps = sum(len(e["actions"]) for e in data["episodes"])
    return problems, (f"{len(data['episodes'])} episodes, {steps} steps; largest |difference|: "
                      f"observations {worst_obs:.3g}, rewards {worst_reward:.3g}")


def check_cases(data: dict[str, Any], args: argparse.Namespace, ppo: bool) -> tuple[list[str], str]:
    """Recomputes every V-trace or PPO case; returns the problems found and a summary."""
    problems, worst = [], {}
    for i, case in enumerate(data["cases"]):
        if ppo:
            lengths = {case["N"]} | {len(case[k]) for k in PPO_ARRAYS}
            loss, grad = ppo_expected(case)
            diffs = {"loss (relative)": (largest(loss, case["loss"], True), args.rtol),
                     "grad_log_pi (absolute)": (largest(grad, case["grad_log_pi"]), args.grad_atol)}
        else:
            lengths = {case["T"]} | {len(case[k]) for k in VTRACE_ARRAYS}
            vs, pg = vtrace_expected(case)
            diffs = {"vs (relative)": (largest(vs, case["vs"], True), args.rtol),
                     "pg_advantages (relative)": (largest(pg, case["pg_advantages"], True), args.rtol)}
        if len(lengths) != 1:
            problems.append(f"case {i}: lengths {sorted(lengths)} differ")
        for name, (difference, tolerance) in diffs.items():
            worst[name] = max(worst.get(name, 0.0), difference)
            if difference > tolerance:
                problems.append(f"case {i}: {name} differs by {difference:.3g} (tolerance {tolerance})")
    largest_differences = ", ".join(f"{name} {value:.3g}" for name, value in worst.items())
    return problems, f"{len(data['cases'])} cases; largest difference: {largest_differences}"


def check_file(path: Path, args: argparse.Namespace) -> list[str]:
    """Checks one file by its kind; prints a summary line and returns the problems found."""
    data = json.loads(path.read_text())
    cases = data.get("cases") or [{}]
    if "episodes" in data:
        problems, summary = check_env(data, args)
    elif "pg_advantages" in cases[0] or "grad_log_pi" in cases[0]:
        problems, summary = check_cases(data, args, ppo="grad_log_pi" in cases[0])
    else:
        problems, summary = ["not an environment, V-trace or PPO reference file"], ""
    print(f"{'ok  ' if not problems else 'FAIL'} {path}: {summary}")
    for problem in problems[:10]:
        print(f"     {problem}")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", type=Path, help="folders of reference files (searched recursively)")
    parser.add_argument("--rtol", type=float, default=1e-4,
                        help="V-trace outputs and PPO loss: |Δ| ≤ rtol·max(1, |expected|) (default 1e-4)")
    parser.add_argument("--grad-atol", type=float, default=1e-5,
                        help="PPO gradient entries: |Δ| ≤ this (default 1e-5)")
    parser.add_argument("--env-atol", type=float, default=1e-6,
                        help="observations and rewards: |Δ| ≤ this (default 1e-6)")
    args = parser.parse_args(argv)
    files = sorted(p for folder in args.folders for p in folder.rglob("*.json"))
    if not files:
        print(f"no *.json files in {', '.join(map(str, args.folders))}")
        return 1
    failed = [path for path in files if check_file(path, args)]
    print(f"{len(files) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
