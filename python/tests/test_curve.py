"""CurveZMQ on the server socket: key files as `shoal keygen` writes them, and a server that answers only the clients
on its allow-list."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest
import zmq
from conftest import running_server

from shoal_env import PROTOCOL_VERSION
from shoal_env._proto import env_pb2
from shoal_env.curve import CurveServer, KeyFileError, read_allow_list, read_key


def keygen(folder: Path, name: str) -> tuple[bytes, bytes]:
    """A key pair written as `shoal keygen NAME` writes it; (public, secret)."""
    public, secret = zmq.curve_keypair()
    (folder / f"{name}.key").write_text(f"# Shoal CURVE secret key '{name}': keep it private\n{secret.decode()}\n")
    (folder / f"{name}.pub").write_text(f"# Shoal CURVE public key '{name}'\n{public.decode()}\n")
    return public, secret


def test_key_files_and_allow_lists_are_read_as_shoal_writes_them(tmp_path: Path) -> None:
    clients = tmp_path / "clients"
    clients.mkdir()
    actor, _ = keygen(clients, "actor")
    learner, secret = keygen(clients, "learner")
    assert read_key(clients / "learner.key") == secret
    assert read_allow_list(clients) == {actor, learner}
    listed = tmp_path / "allowed.txt"
    listed.write_text(f"# the actors\n{actor.decode()}\n\n")
    assert read_allow_list(listed) == {actor}


@pytest.mark.parametrize(
    ("content", "message"),
    [("# only a comment\n", "holds no CURVE key"), ("short\n", "holds no CURVE key")],
)
def test_a_bad_key_file_is_refused_by_name(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "bad.key").write_text(content)
    with pytest.raises(KeyFileError, match=message):
        read_key(tmp_path / "bad.key")
    with pytest.raises(KeyFileError, match="cannot read key file"):
        read_key(tmp_path / "missing.key")
    (tmp_path / "list").write_text("not-a-key\n")
    with pytest.raises(KeyFileError, match="'not-a-key' is not a public key"):
        read_allow_list(tmp_path / "list")


def answers(endpoint: str, server_public: bytes, client: tuple[bytes, bytes] | None, wait_ms: int) -> bool:
    """Whether the server answers, within `wait_ms`, a describe-only hello from a client with this key pair (None:
    plain text)."""
    context: zmq.Context[Any] = zmq.Context.instance()
    socket = context.socket(zmq.DEALER)
    socket.linger = 0
    if client is not None:
        socket.curve_publickey, socket.curve_secretkey = client
        socket.curve_serverkey = server_public
    socket.connect(endpoint)
    request = env_pb2.EnvRequest(protocol_version=PROTOCOL_VERSION, request_id=1)
    request.hello.client = "test"
    request.hello.describe_only = True
    # A refused handshake can leave the socket without a peer to queue for: the send itself must not wait forever.
    socket.sndtimeo = wait_ms
    try:
        socket.send(request.SerializeToString())
        answered: bool = socket.poll(wait_ms) != 0
    except zmq.Again:
        answered = False
    socket.close()
    return answered


def test_a_curve_server_answers_only_allowed_clients(tmp_path: Path, ipc_endpoint: str) -> None:
    server_public, _ = keygen(tmp_path, "env-server")
    clients = tmp_path / "clients"
    clients.mkdir()
    allowed = keygen(clients, "actor")
    stranger = keygen(tmp_path, "stranger")
    options = ["--curve-secret-key", str(tmp_path / "env-server.key"), "--curve-allow", str(clients)]
    with running_server(ipc_endpoint, "gymnasium:CartPole-v1", *options) as server:
        assert answers(ipc_endpoint, server_public, allowed, 20_000)
        assert not answers(ipc_endpoint, server_public, stranger, 1_500)
        assert not answers(ipc_endpoint, server_public, None, 1_500)
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=10)
    assert "refused a CURVE client with key " + stranger[0].decode() in stderr


def test_curve_options_go_together(capsys: pytest.CaptureFixture[str]) -> None:
    from shoal_env.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "ipc:///tmp/x.sock", "--env", "gymnasium:CartPole-v1", "--curve-secret-key", "k"])
    assert exit_info.value.code == 2
    assert "--curve-secret-key and --curve-allow go together" in capsys.readouterr().err


def test_apply_makes_a_curve_server_socket(tmp_path: Path) -> None:
    public, _ = keygen(tmp_path, "env-server")
    curve = CurveServer.from_files(tmp_path / "env-server.key", tmp_path / "env-server.pub")
    context: zmq.Context[Any] = zmq.Context()
    socket = context.socket(zmq.ROUTER)
    authenticator = curve.apply(context, socket)
    try:
        assert socket.curve_server
        assert curve.callback("*", public) and not curve.callback("*", b"x" * 40)
    finally:
        authenticator.stop()
        socket.close()
        context.term()
