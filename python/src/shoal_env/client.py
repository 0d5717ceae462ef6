"""A small synchronous client of the environment protocol, for tests and benchmarks (Shoal's own is in Swift)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import zmq

from shoal_env import PROTOCOL_VERSION
from shoal_env._proto import env_pb2
from shoal_env.tensors import from_tensor, to_tensor


class EnvServerError(RuntimeError):
    """An EnvError reply: the server's one-line message, and its details (such as a Python traceback)."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.details = details


@dataclass
class Transitions:
    """One step of the M environments, as EnvTransitions carries it."""

    observations: npt.NDArray[Any]
    rewards: npt.NDArray[np.float64]
    terminated: npt.NDArray[np.bool_]
    truncated: npt.NDArray[np.bool_]
    ended: list[int]
    final_observations: npt.NDArray[Any]
    episode_returns: list[float]
    episode_lengths: list[int]


class EnvClient:
    """A DEALER connected to an environment server; each request waits at most `deadline` seconds for its reply."""

    def __init__(
        self,
        endpoint: str,
        deadline: float = 10.0,
        *,
        context: zmq.Context[Any] | None = None,
        identity: bytes | None = None,
    ) -> None:
        self.deadline = deadline
        self._context = context if context is not None else zmq.Context.instance()
        self._socket = self._context.socket(zmq.DEALER)
        self._socket.setsockopt(zmq.LINGER, 0)
        if identity is not None:
            self._socket.setsockopt(zmq.IDENTITY, identity)
        self._socket.connect(endpoint)
        self._next_id = 1
        self.spec: env_pb2.EnvSpec | None = None

    def close(self) -> None:
        self._socket.close()

    def __enter__(self) -> EnvClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def hello(self, client: str = "shoal_env.client", describe_only: bool = False) -> env_pb2.EnvSpec:
        """Opens a session (or, `describe_only`, just asks what the server hosts); the server's EnvSpec."""
        reply = self._call(env_pb2.EnvRequest(hello=env_pb2.EnvHello(client=client, describe_only=describe_only)))
        self.spec = reply.spec
        return reply.spec

    def reset(self, seeds: Sequence[int] | None = None) -> npt.NDArray[Any]:
        """New episodes in every environment: their first observations [M, ...]."""
        reply = self._call(env_pb2.EnvRequest(reset=env_pb2.EnvReset(seeds=list(seeds or []))))
        return from_tensor(reply.observations.observations)

    def step(self, actions: npt.NDArray[Any]) -> Transitions:
        """Steps every environment once (int64 actions for Discrete and MultiDiscrete spaces, float32 for Box)."""
        request = env_pb2.EnvRequest()
        to_tensor(actions, request.step.actions)
        transitions = self._call(request).transitions
        return Transitions(
            observations=from_tensor(transitions.observations),
            rewards=np.array(transitions.rewards, dtype=np.float64),
            terminated=np.array(transitions.terminated, dtype=np.bool_),
            truncated=np.array(transitions.truncated, dtype=np.bool_),
            ended=list(transitions.ended),
            final_observations=from_tensor(transitions.final_observations),
            episode_returns=[episode.episode_return for episode in transitions.episodes],
            episode_lengths=[episode.length for episode in transitions.episodes],
        )

    def request(self, request: env_pb2.EnvRequest) -> env_pb2.EnvReply:
        """Sends a request as it is (its protocol_version and request_id too, when set) and returns the reply,
        EnvError or not."""
        if not request.protocol_version:
            request.protocol_version = PROTOCOL_VERSION
        if not request.request_id:
            request.request_id = self._take_id()
        return self.request_bytes(request.SerializeToString(), request.request_id)

    def request_bytes(self, payload: bytes, request_id: int | None = None) -> env_pb2.EnvReply:
        """Sends raw bytes as a request; the next reply (with `request_id`, when given) or TimeoutError."""
        self._socket.send(payload)
        end = time.monotonic() + self.deadline
        while True:
            remaining = end - time.monotonic()
            if remaining <= 0 or not self._socket.poll(int(remaining * 1000) + 1, zmq.POLLIN):
                raise TimeoutError(f"no reply within {self.deadline} s")
            reply = env_pb2.EnvReply()
            reply.ParseFromString(self._socket.recv())
            if request_id is None or reply.request_id == request_id:
                return reply
            # a late reply to a request this client gave up on: drop it

    def _call(self, request: env_pb2.EnvRequest) -> env_pb2.EnvReply:
        reply = self.request(request)
        if reply.WhichOneof("body") == "error":
            raise EnvServerError(reply.error.message, reply.error.details)
        return reply

    def _take_id(self) -> int:
        request_id = self._next_id
        self._next_id += 1
        return request_id
