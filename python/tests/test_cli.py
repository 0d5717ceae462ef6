"""The shoal-env command: describe, argument errors, environments that cannot be served."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import gymnasium as gym
import pytest
from conftest import server_environment

from shoal_env.cli import main

CARTPOLE = {
    "env_name": "CartPole-v1",
    "observation_space": {
        "box": {
            "dtype": "float32",
            "shape": [4],
            "low": [-4.800000190734863, "-Infinity", -0.41887903213500977, "-Infinity"],
            "high": [4.800000190734863, "Infinity", 0.41887903213500977, "Infinity"],
        }
    },
    "action_space": {"discrete": {"n": 2, "start": 0}},
    "observation": {"dtype": "float32", "shape": [4]},
    "max_episode_steps": 500,
    "server": f"shoal-env 0.1.0, gymnasium {gym.__version__}, CartPoleVectorEnv",
    "autoreset_mode": "NEXT_STEP",
}


def test_the_shoal_env_command_describes_cartpole() -> None:
    command = Path(sys.executable).parent / "shoal-env"
    result = subprocess.run(
        [str(command), "describe", "--env", "gymnasium:CartPole-v1"],
        env=server_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == CARTPOLE


def test_describe_shows_the_autoreset_mode_of_the_vectorization_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["describe", "--env", "gymnasium:CartPole-v1", "--vectorization", "sync"]) == 0
    described = json.loads(capsys.readouterr().out)
    assert described["autoreset_mode"] == "SAME_STEP" and described["server"].endswith(", SyncVectorEnv")


def test_describe_loads_a_python_callable_and_shows_the_dict_layout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["describe", "--env", "python:shoal_test_envs:DictEnv", "--env-args", '{"length": 9}']) == 0
    described = json.loads(capsys.readouterr().out)
    assert described["env_name"] == "shoal_test_envs:DictEnv"
    assert list(described["observation_space"]["dict"]) == ["keys", "mode", "pos"]
    assert described["observation_space"]["dict"]["keys"] == {"multi_discrete": {"nvec": [2, 3]}}
    assert described["observation"] == {"dtype": "float32", "shape": [10]}
    assert described["action_space"] == {"multi_discrete": {"nvec": [2, 3]}}
    assert described["max_episode_steps"] == 0 and described["autoreset_mode"] == "SAME_STEP"


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--num-envs", "0"], "--num-envs"),
        (["--num-envs", "many"], "--num-envs"),
        (["--env-args", "[1, 2]"], "--env-args"),
        (["--env-args", "{nope"], "--env-args"),
        (["--seed", "-1"], "--seed"),
        (["--id", "4294967296"], "--id"),
        (["--heartbeat-seconds", "0"], "--heartbeat-seconds"),
        (["--vectorization", "async"], "--vectorization"),
        (["--env", "CartPole-v1"], "--env"),
    ],
)
def test_bad_arguments_are_argparse_errors_naming_the_flag(
    arguments: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "ipc:///tmp/unused.sock", "--env", "gymnasium:CartPole-v1", *arguments])
    assert exited.value.code == 2
    assert f"argument {named}" in capsys.readouterr().err


def test_a_bad_endpoint_is_an_argparse_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "http://localhost:5555", "--env", "gymnasium:CartPole-v1"])
    assert exited.value.code == 2 and "argument ENDPOINT" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["describe", "--env", "gymnasium:NoSuchEnv-v0"], "cannot serve gymnasium:NoSuchEnv-v0: "),
        (["describe", "--env", "python:shoal_test_envs:make_uint16"], "uint16"),
        (["serve", "ipc:///tmp/unused.sock", "--env", "gymnasium:Pendulum-v1", "--vectorization", "native"],
         "no vectorised implementation"),
        (["serve", "ipc:///tmp/unused.sock", "--env", "gymnasium:CartPole-v1", "--env-args", '{"nope": 1}'],
         "nope"),
    ],
)
def test_an_environment_that_cannot_be_made_exits_2_with_the_message(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(arguments) == 2
    assert message in capsys.readouterr().err


def test_serve_logs_its_start_and_stops_cleanly_on_sigint(ipc_endpoint: str) -> None:
    from conftest import running_server

    from shoal_env.client import EnvClient

    with running_server(ipc_endpoint, "gymnasium:CartPole-v1", "--num-envs", "3") as process:
        with EnvClient(ipc_endpoint, deadline=20) as client:
            client.hello()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
        assert process.returncode == 0
        assert not Path(ipc_endpoint[len("ipc://") :]).exists(), "the server removes its socket file"
    first = stderr.splitlines()[0]
    assert (
        f"serving gymnasium:CartPole-v1 at {ipc_endpoint}: M=3, CartPoleVectorEnv "
        "(native vectorization, NEXT_STEP autoreset)"
    ) in first
    assert "observations Box(" in first and "as float32 [4], actions Discrete(2)" in first
    assert "stopped after 1 requests (0 errors)" in stderr


def test_an_endpoint_that_cannot_be_bound_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    import zmq

    taken = zmq.Context.instance().socket(zmq.ROUTER)
    taken.bind("tcp://127.0.0.1:*")
    try:
        endpoint = taken.getsockopt_string(zmq.LAST_ENDPOINT)
        assert main(["serve", endpoint, "--env", "gymnasium:CartPole-v1", "--num-envs", "1"]) == 1
        assert f"cannot bind {endpoint}" in capsys.readouterr().err
    finally:
        taken.close()
