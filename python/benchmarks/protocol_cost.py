"""The environment protocol's cost: env steps/s of a served vector environment against the same vector environment
stepped in this process, one request in flight, fixed actions.

    python python/benchmarks/protocol_cost.py [--env gymnasium:CartPole-v1] [--num-envs 16 64] [--seconds 5]
        [--vectorization auto]

Run it on a quiet machine with OPENBLAS_NUM_THREADS=1; it prints one line per M.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from shoal_env.client import EnvClient
from shoal_env.vector import make_vector_env


def fixed_actions(num_envs: int, step: int) -> np.ndarray:
    """Alternating left/right pushes, the same for direct and served stepping."""
    return np.full(num_envs, step % 2, dtype=np.int64)


def direct_rate(env: str, num_envs: int, vectorization: str, seconds: float) -> float:
    """Steps/s of the vector environment stepped here."""
    vector = make_vector_env(env, num_envs, {}, vectorization).env
    vector.reset(seed=0)
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        vector.step(fixed_actions(num_envs, steps))
        steps += 1
    vector.close()
    return steps * num_envs / (time.perf_counter() - start)


def served_rate(env: str, num_envs: int, vectorization: str, seconds: float) -> float:
    """Steps/s through a `shoal-env serve` process over ipc."""
    with tempfile.TemporaryDirectory() as folder:
        endpoint = f"ipc://{folder}/bench.sock"
        server = subprocess.Popen(
            [sys.executable, "-m", "shoal_env", "serve", endpoint, "--env", env, "--num-envs", str(num_envs),
             "--vectorization", vectorization], stderr=subprocess.DEVNULL)
        try:
            with EnvClient(endpoint, deadline=30) as client:
                client.hello()
                client.reset(list(range(num_envs)))
                steps, start = 0, time.perf_counter()
                while time.perf_counter() - start < seconds:
                    client.step(fixed_actions(num_envs, steps))
                    steps += 1
                return steps * num_envs / (time.perf_counter() - start)
        finally:
            server.terminate()
            server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default="gymnasium:CartPole-v1")
    parser.add_argument("--num-envs", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--vectorization", default="auto", choices=["auto", "sync", "native"])
    args = parser.parse_args()
    print(f"{args.env}, vectorization {args.vectorization}, load {os.getloadavg()[0]:.2f}")
    for num_envs in args.num_envs:
        direct = direct_rate(args.env, num_envs, args.vectorization, args.seconds)
        served = served_rate(args.env, num_envs, args.vectorization, args.seconds)
        print(f"M={num_envs:4d}  direct {direct:10,.0f} steps/s  served {served:10,.0f} steps/s  "
              f"ratio {served / direct:.2f}")


if __name__ == "__main__":
    main()
