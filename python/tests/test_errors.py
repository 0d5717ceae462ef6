"""Whatever goes wrong in a request is an EnvError reply, and the server keeps serving."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
import zmq
from conftest import running_server

from shoal_env._proto import env_pb2, tensor_pb2
from shoal_env.client import EnvClient, EnvServerError

ENDPOINT = "ipc:///tmp/shoal-env-test-errors.sock"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """One server of two FailingEnvs (action 1 raises) for every test here; each test opens its own session."""
    with running_server(ENDPOINT, "python:shoal_test_envs:FailingEnv", "--num-envs", "2"):
        yield ENDPOINT


@pytest.fixture
def client(endpoint: str) -> Iterator[EnvClient]:
    with EnvClient(endpoint, deadline=20) as client:
        client.hello("errors test")
        client.reset([1, 2])
        yield client


def test_an_exception_of_the_env_is_an_error_with_its_traceback_and_the_server_goes_on(client: EnvClient) -> None:
    with pytest.raises(EnvServerError) as raised:
        client.step(np.array([0, 1], np.int64))
    assert raised.value.message.startswith("ValueError: the environment broke on purpose")
    assert "\n" not in raised.value.message
    assert "Traceback (most recent call last)" in raised.value.details
    assert "shoal_test_envs.py" in raised.value.details and "in step" in raised.value.details
    with pytest.raises(EnvServerError, match="need a reset"):
        client.step(np.array([0, 0], np.int64))
    assert client.reset([3, 4]).shape == (2, 3)
    assert client.step(np.array([0, 0], np.int64)).rewards.tolist() == [0.0, 0.0]


def test_malformed_bytes_are_an_error_and_the_server_goes_on(client: EnvClient) -> None:
    reply = client.request_bytes(b"\xff\xff\xff not protobuf")
    assert reply.WhichOneof("body") == "error" and reply.request_id == 0
    assert "undecodable EnvRequest" in reply.error.message
    assert client.step(np.array([0, 0], np.int64)).observations.shape == (2, 3)


def test_actions_of_the_wrong_shape_dtype_or_size_are_errors_naming_them(client: EnvClient) -> None:
    with pytest.raises(EnvServerError, match=r"int64 \[2\].*got shape \[3\]"):
        client.step(np.array([0, 0, 0], np.int64))
    with pytest.raises(EnvServerError, match=r"got dtype DTYPE_FLOAT32"):
        client.step(np.array([0, 0], np.float32))
    request = env_pb2.EnvRequest(
        step=env_pb2.EnvStep(actions=tensor_pb2.Tensor(dtype=tensor_pb2.DTYPE_INT64, shape=[2], data=b"\0" * 15))
    )
    reply = client.request(request)
    assert "int64 [2] need 16 bytes of data, got 15" in reply.error.message
    with pytest.raises(EnvServerError, match="outside Discrete"):
        client.step(np.array([0, 2], np.int64))
    reply = client.request(env_pb2.EnvRequest(step=env_pb2.EnvStep()))
    assert "without actions" in reply.error.message
    # none of these touched the environments
    assert client.step(np.array([0, 0], np.int64)).terminated.tolist() == [False, False]


def test_other_protocol_versions_requests_without_a_body_and_wrong_seeds_are_errors(client: EnvClient) -> None:
    reply = client.request(env_pb2.EnvRequest(protocol_version=2, request_id=77, hello=env_pb2.EnvHello()))
    assert reply.request_id == 77 and reply.protocol_version == 1
    assert "protocol version 2" in reply.error.message
    assert "without a body" in client.request(env_pb2.EnvRequest()).error.message
    with pytest.raises(EnvServerError, match="needs 2 seeds"):
        client.reset([1, 2, 3])


def test_a_second_clients_hello_takes_over(endpoint: str, client: EnvClient) -> None:
    with EnvClient(endpoint, deadline=20) as second:
        with pytest.raises(EnvServerError, match="send a hello first"):
            second.reset()
        spec = second.hello("second")
        assert spec.num_envs == 2 and spec.env_name == "shoal_test_envs:FailingEnv"
        with pytest.raises(EnvServerError, match="need a reset"):
            second.step(np.array([0, 0], np.int64))
        second.reset([5, 6])
        with pytest.raises(EnvServerError, match="took the server over"):
            client.step(np.array([0, 0], np.int64))
        second.step(np.array([0, 0], np.int64))
        client.hello("first again")
        with pytest.raises(EnvServerError, match="took the server over"):
            second.reset()


def test_a_describe_only_hello_leaves_the_session_alone(endpoint: str, client: EnvClient) -> None:
    client.step(np.array([0, 0], np.int64))
    with EnvClient(endpoint, deadline=20) as learner:
        spec = learner.hello("learner", describe_only=True)
        assert spec.num_envs == 2 and spec.observation.shape == [3]
        with pytest.raises(EnvServerError, match="send a hello first"):
            learner.reset()
    assert client.step(np.array([0, 0], np.int64)).observations.shape == (2, 3)


def test_a_req_client_gets_its_reply_through_the_envelope(endpoint: str) -> None:
    context = zmq.Context.instance()
    socket = context.socket(zmq.REQ)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(endpoint)
    try:
        socket.send(env_pb2.EnvRequest(protocol_version=1, request_id=5, hello=env_pb2.EnvHello()).SerializeToString())
        assert socket.poll(20_000)
        reply = env_pb2.EnvReply.FromString(socket.recv())
        assert reply.request_id == 5 and reply.WhichOneof("body") == "spec"
    finally:
        socket.close()


def test_reset_and_step_before_any_hello_are_errors(ipc_endpoint: str) -> None:
    with running_server(ipc_endpoint, "gymnasium:CartPole-v1", "--num-envs", "1"):
        with EnvClient(ipc_endpoint, deadline=20) as client:
            with pytest.raises(EnvServerError, match="reset from a client without a session: send a hello first$"):
                client.reset()
            with pytest.raises(EnvServerError, match="step from a client without a session"):
                client.step(np.array([0], np.int64))
            client.hello()
            with pytest.raises(EnvServerError, match="need a reset before a step"):
                client.step(np.array([0], np.int64))
