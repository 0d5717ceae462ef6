"""The socket file an ipc:// bind makes is removed at close, unless another socket has bound the path since."""

from __future__ import annotations

from pathlib import Path

import zmq

from shoal_env.socket_file import IpcSocketFile


def test_the_bound_file_is_removed(ipc_endpoint: str) -> None:
    path = Path(ipc_endpoint[len("ipc://") :])
    socket = zmq.Context.instance().socket(zmq.ROUTER)
    socket.bind(ipc_endpoint)
    bound = IpcSocketFile.bound_at(ipc_endpoint)
    socket.close(linger=0)
    assert bound is not None and path.exists(), "libzmq leaves the file behind"
    bound.remove()
    assert not path.exists()


def test_a_file_bound_since_by_another_socket_is_kept(ipc_endpoint: str) -> None:
    context = zmq.Context.instance()
    old = context.socket(zmq.ROUTER)
    old.bind(ipc_endpoint)
    old_file = IpcSocketFile.bound_at(ipc_endpoint)
    successor = context.socket(zmq.ROUTER)
    successor.bind(ipc_endpoint)  # libzmq replaces the file at the path, as a restarted server's bind does
    old.close(linger=0)
    assert old_file is not None
    old_file.remove()
    assert Path(ipc_endpoint[len("ipc://") :]).exists(), "the successor's file stays"
    successor.close(linger=0)


def test_other_endpoints_have_no_file() -> None:
    assert IpcSocketFile.bound_at("tcp://127.0.0.1:5555") is None
    assert IpcSocketFile.bound_at("ipc://*") is None
    assert IpcSocketFile.bound_at("ipc://@abstract") is None
    assert IpcSocketFile.bound_at("ipc:///nonexistent/dir/x.sock") is None
