"""Heartbeats to the supervisor named by SHOAL_SUPERVISOR, and exiting when the supervisor is gone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import numpy as np
import pytest
import zmq
from conftest import running_server, server_environment

from shoal_env._proto import frame_pb2, process_pb2
from shoal_env.client import EnvClient, EnvServerError


def receive_heartbeat(pull: zmq.Socket[bytes], timeout_seconds: float = 20) -> process_pb2.Heartbeat:
    assert pull.poll(int(timeout_seconds * 1000)), "no heartbeat"
    frame = frame_pb2.Frame.FromString(pull.recv())
    assert frame.protocol_version == 1 and frame.WhichOneof("body") == "heartbeat"
    return frame.heartbeat


def test_the_server_sends_heartbeats_to_shoal_supervisor(ipc_endpoint: str) -> None:
    supervisor = f"ipc:///tmp/shoal-env-test-supervisor-{uuid.uuid4().hex[:8]}.sock"
    pull = zmq.Context.instance().socket(zmq.PULL)
    pull.setsockopt(zmq.LINGER, 0)
    pull.bind(supervisor)
    environ = {"SHOAL_SUPERVISOR": supervisor, "SHOAL_RUN_ID": "run-7", "SHOAL_INCARNATION": "3"}
    try:
        with running_server(
            ipc_endpoint, "gymnasium:CartPole-v1", "--num-envs", "2", "--id", "5", "--heartbeat-seconds", "0.05",
            environ=environ,
        ) as process:
            first = receive_heartbeat(pull)
            assert first.role == process_pb2.ROLE_ENV_SERVER
            assert (first.run_id, first.id, first.incarnation) == ("run-7", 5, 3)
            assert first.pid == process.pid and first.host == socket.gethostname()
            assert abs(first.timestamp_nanos - time.time_ns()) < 60e9
            with EnvClient(ipc_endpoint, deadline=20) as client:
                client.hello()
                client.reset([1, 2])
                for _ in range(3):
                    client.step(np.zeros(2, np.int64))
                with pytest.raises(EnvServerError):
                    client.step(np.zeros(3, np.int64))
            while True:
                heartbeat = receive_heartbeat(pull)
                if heartbeat.stats["requests"] >= 6:
                    break
            assert heartbeat.environment_steps == 6
            assert heartbeat.stats["errors"] == 1.0
            assert 10 < heartbeat.stats["peak_rss_mib"] < 10_000, "the server's peak memory, in MiB"
            assert heartbeat.timestamp_nanos > first.timestamp_nanos
    finally:
        pull.close()
        Path(supervisor[len("ipc://") :]).unlink(missing_ok=True)


def test_the_server_exits_when_its_supervisor_is_not_its_parent(ipc_endpoint: str) -> None:
    not_the_parent = os.getpid() + 1 if os.getpid() + 1 != os.getppid() else os.getpid() + 2
    result = subprocess.run(
        [sys.executable, "-m", "shoal_env", "serve", ipc_endpoint, "--env", "gymnasium:CartPole-v1"],
        env=server_environment({"SHOAL_SUPERVISOR_PID": str(not_the_parent)}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"the supervisor (pid {not_the_parent}) is gone" in result.stderr


def test_the_server_stays_while_its_supervisor_is_its_parent(ipc_endpoint: str) -> None:
    with running_server(ipc_endpoint, "gymnasium:CartPole-v1", environ={"SHOAL_SUPERVISOR_PID": str(os.getpid())}):
        with EnvClient(ipc_endpoint, deadline=20) as client:
            assert client.hello().num_envs == 16


def gone(pid: int) -> bool:
    """The process has exited (reaped, or a zombie nobody reaped yet)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_server_dies_with_its_supervisor(ipc_endpoint: str) -> None:
    # A stand-in supervisor starts the server, waits until it serves, prints its pid and exits without stopping it.
    supervisor = f"""
import os, subprocess, sys
from shoal_env.client import EnvClient
environ = dict(os.environ, SHOAL_SUPERVISOR_PID=str(os.getpid()))
server = subprocess.Popen([sys.executable, "-m", "shoal_env", "serve", {ipc_endpoint!r}, "--env",
                           "gymnasium:CartPole-v1", "--num-envs", "1"], env=environ, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
with EnvClient({ipc_endpoint!r}, deadline=30) as client:
    client.hello()
print(server.pid, flush=True)
os._exit(0)
"""
    result = subprocess.run(
        [sys.executable, "-c", supervisor], env=server_environment(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    server = int(result.stdout)
    deadline = time.monotonic() + 10
    while not gone(server) and time.monotonic() < deadline:
        time.sleep(0.05)
    if not gone(server):
        os.kill(server, 9)
        raise AssertionError("the server outlived its supervisor")
