"""Checks CartPoleC-v1's dynamics against gymnasium's CartPole-v1, bit for bit, on the states of many episodes.

    python3 tests/cartpole_vs_gymnasium.py build/cartpole-trace      (or: make -C c gymnasium-check)

gymnasium plays episodes with random actions (and some with a balancing policy); every (state, action) it met is
stepped by the C code too, and the next float64 state, the termination, the reward and the float32 observation
must be identical.
"""

import subprocess
import sys

import gymnasium as gym
import numpy as np


def main() -> int:
    trace = sys.argv[1]
    env = gym.make("CartPole-v1").unwrapped
    rng = np.random.default_rng(0)
    inputs, expected = [], []
    for episode in range(300):
        env.reset(seed=episode)
        balancing = episode % 3 == 0
        for _ in range(500):
            state = [float(value) for value in env.state]
            action = int(state[2] + 0.5 * state[3] > 0) if balancing else int(rng.integers(2))
            observation, reward, terminated, _, _ = env.step(action)
            inputs.append(" ".join(value.hex() for value in state) + f" {action}")
            after = [float(value) for value in env.state]
            expected.append((after, bool(terminated), float(reward), [float(value) for value in observation]))
            if terminated:
                break
    output = subprocess.run([trace], input="\n".join(inputs) + "\n", capture_output=True, text=True, check=True)
    lines = output.stdout.splitlines()
    assert len(lines) == len(expected), f"{len(lines)} lines for {len(expected)} steps"
    for number, (line, (state, terminated, reward, observation)) in enumerate(zip(lines, expected)):
        fields = line.split()
        got_state = [float.fromhex(field) for field in fields[:4]]
        got_terminated = fields[4] == "1"
        got_reward = float.fromhex(fields[5])
        got_observation = [float.fromhex(field) for field in fields[6:10]]
        if (got_state, got_terminated, got_reward, got_observation) != (state, terminated, reward, observation):
            print(f"step {number} ({inputs[number]}): C gives {got_state} {got_terminated} {got_reward}, "
                  f"gymnasium {state} {terminated} {reward}", file=sys.stderr)
            return 1
    print(f"CartPoleC-v1 matches gymnasium {gym.__version__} CartPole-v1 bit for bit on {len(expected)} steps "
          f"({sum(e[1] for e in expected)} terminations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
