"""The environment server's Prometheus endpoint: what a scrape shows after real requests, and what promtool says."""

from __future__ import annotations

import shutil
import socket
import subprocess
import urllib.request

import numpy as np
import pytest
from conftest import running_server
from prometheus_client.parser import text_string_to_metric_families

from shoal_env.client import EnvClient, EnvServerError
from shoal_env.metrics import parse_address


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_a_scrape_counts_steps_requests_and_errors_with_the_runs_labels(ipc_endpoint: str) -> None:
    port = free_port()
    environ = {"SHOAL_RUN_ID": "run-9"}
    with running_server(ipc_endpoint, "gymnasium:CartPole-v1", "--num-envs", "3", "--id", "4",
                        "--prometheus", f"127.0.0.1:{port}", environ=environ):
        with EnvClient(ipc_endpoint, deadline=20) as client:
            client.hello()
            client.reset()
            for _ in range(5):
                client.step(np.zeros(3, dtype=np.int64))
            with pytest.raises(EnvServerError):
                client.step(np.zeros(2, dtype=np.int64))  # one action short
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            text = response.read().decode()
    labels = {("run", "run-9"), ("role", "env-server"), ("server", "4")}
    found = samples(text)
    assert found[("shoal_env_steps_total", frozenset(labels))] == 15
    assert found[("shoal_env_requests_total", frozenset(labels | {("kind", "step")}))] == 6
    assert found[("shoal_env_requests_total", frozenset(labels | {("kind", "hello")}))] == 1
    assert found[("shoal_env_errors_total", frozenset(labels | {("error", "action")}))] == 1
    assert found[("shoal_env_request_seconds_count", frozenset(labels | {("kind", "reset")}))] == 1
    assert found[("process_resident_memory_bytes", frozenset(labels))] > 1e6, "process metrics labelled too"
    assert not any(name.endswith("_created") for name, _ in found), "no creation-time series"
    promtool = shutil.which("promtool")
    assert promtool is not None, "promtool (Debian's prometheus package; scripts/setup.sh installs it)"
    check = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def test_addresses_are_host_and_port() -> None:
    assert parse_address("0.0.0.0:9100") == ("0.0.0.0", 9100)
    assert parse_address("[::1]:9100") == ("::1", 9100)
    assert parse_address(":9100") == ("0.0.0.0", 9100)
    for bad in ["9100", "host:", "host:70000", "host:port"]:
        with pytest.raises(ValueError, match="HOST:PORT"):
            parse_address(bad)
