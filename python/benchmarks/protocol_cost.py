"""The environment protocol's cost: env steps/s of a served vector environment against the same vector environment
stepped in this process, one request in flight, fixed actions.

    python python/benchmarks/protocol_cost.py [--env gymnasium:CartPole-v1] [--num-envs 16 64] [--seconds 5]
        [--vectorization auto] [--client c|python]

The client that steps the server is c/build/shoal-env-bench (`make -C c bench`), the default when it is built: like
Shoal's actors (Swift), it adds next to nothing to a request's time. `--client python` steps the server with
shoal_env.client's EnvClient, whose own cost per request then counts against the server. Both clients and the in-process reference take
the C client's actions (of period 2; see c/tests/bench.c). Run it on a quiet machine with OPENBLAS_NUM_THREADS=1; it
prints one line per M.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from gymnasium import spaces

from shoal_env.actions import ActionDecoder
from shoal_env.client import EnvClient
from shoal_env.spaces import space_from_proto
from shoal_env.tensors import to_tensor
from shoal_env.vector import Vectorization, make_vector_env

C_CLIENT = Path(__file__).resolve().parents[2] / "c" / "build" / "shoal-env-bench"


def wire_actions(space: spaces.Space[Any], num_envs: int, parity: int) -> npt.NDArray[Any]:
    """The C client's actions on the wire at a step of this parity: environment i takes ((parity + i) mod 2) mod n
    of each Discrete(n) choice, or -1 (even) and +1 (odd) in every element of a Box."""
    odd = (parity + np.arange(num_envs)) & 1
    if isinstance(space, spaces.Discrete):
        return (odd % int(space.n)).astype(np.int64)
    if isinstance(space, spaces.MultiDiscrete):
        return (odd[:, None] % space.nvec.ravel()).astype(np.int64)
    if isinstance(space, spaces.Box):
        return np.multiply.outer(np.where(odd, 1.0, -1.0), np.ones(space.shape)).astype(np.float32)
    raise ValueError(f"no benchmark actions for {space}")


def direct_rate(env: str, num_envs: int, vectorization: Vectorization, seconds: float) -> float:
    """Steps/s of the vector environment stepped here, with the actions the server would decode."""
    vector = make_vector_env(env, num_envs, {}, vectorization).env
    decoder = ActionDecoder(vector.single_action_space, num_envs)
    actions = [decoder.decode(to_tensor(wire_actions(vector.single_action_space, num_envs, p))) for p in (0, 1)]
    vector.reset(seed=0)
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        vector.step(actions[steps & 1])
        steps += 1
    elapsed = time.perf_counter() - start
    vector.close()
    return steps * num_envs / elapsed


def python_client_rate(endpoint: str, num_envs: int, seconds: float) -> float:
    """Steps/s through the server, stepped by shoal_env.client.EnvClient."""
    with EnvClient(endpoint, deadline=30) as client:
        spec = client.hello()
        client.reset(list(range(num_envs)))
        space = space_from_proto(spec.action_space)
        actions = [wire_actions(space, num_envs, parity) for parity in (0, 1)]
        steps, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            client.step(actions[steps & 1])
            steps += 1
        return steps * num_envs / (time.perf_counter() - start)


def c_client_rate(endpoint: str, seconds: float) -> float:
    """Steps/s through the server, stepped by c/build/shoal-env-bench."""
    done = subprocess.run(
        [str(C_CLIENT), endpoint, str(seconds)], capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    found = re.search(r"([0-9.]+) environment steps/s", done.stdout)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"{C_CLIENT.name} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    return float(found.group(1))


def served_rate(env: str, num_envs: int, vectorization: str, seconds: float, client: str) -> float:
    """Steps/s through a `shoal-env serve` process over ipc."""
    with tempfile.TemporaryDirectory() as folder, open(f"{folder}/server.log", "w+") as log:
        endpoint = f"ipc://{folder}/bench.sock"
        server = subprocess.Popen(
            [sys.executable, "-m", "shoal_env", "serve", endpoint, "--env", env, "--num-envs", str(num_envs),
             "--vectorization", vectorization], stderr=log)
        try:
            if client == "c":
                return c_client_rate(endpoint, seconds)
            return python_client_rate(endpoint, num_envs, seconds)
        except Exception:
            log.seek(0)
            print(f"the server's log (exit status {server.poll()}):\n{log.read()}", file=sys.stderr)
            raise
        finally:
            server.terminate()
            server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default="gymnasium:CartPole-v1")
    parser.add_argument("--num-envs", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--vectorization", default="auto", choices=["auto", "sync", "native"])
    parser.add_argument("--client", default="c" if C_CLIENT.exists() else "python", choices=["c", "python"],
                        help=f"what steps the server (default: c when {C_CLIENT} is built, else python)")
    args = parser.parse_args()
    if args.client == "c" and not C_CLIENT.exists():
        parser.error(f"{C_CLIENT} is not built: make -C c bench")
    print(f"{args.env}, vectorization {args.vectorization}, {args.client} client, load {os.getloadavg()[0]:.2f}")
    for num_envs in args.num_envs:
        direct = direct_rate(args.env, num_envs, args.vectorization, args.seconds)
        served = served_rate(args.env, num_envs, args.vectorization, args.seconds, args.client)
        print(f"M={num_envs:4d}  direct {direct:10,.0f} steps/s  served {served:10,.0f} steps/s  "
              f"ratio {served / direct:.2f}")


if __name__ == "__main__":
    main()
