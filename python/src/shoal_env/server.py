"""The environment server: env.proto's requests on a ZeroMQ ROUTER socket, answered by an EnvHost."""

from __future__ import annotations

import logging
import time
import traceback
from typing import TYPE_CHECKING, Any

import zmq
from google.protobuf.message import DecodeError

from shoal_env import PROTOCOL_VERSION
from shoal_env._proto import env_pb2
from shoal_env.actions import ActionError
from shoal_env.curve import CurveServer
from shoal_env.errors import one_line
from shoal_env.host import EnvHost, RequestError
from shoal_env.socket_file import IpcSocketFile
from shoal_env.supervision import Heartbeats
from shoal_env.tensors import to_tensor
from shoal_env.wire import step_reply

if TYPE_CHECKING:  # prometheus_client is imported only by servers that serve metrics
    from shoal_env.metrics import ServerMetrics

log = logging.getLogger("shoal_env")

#: The largest request accepted; a peer that sends a larger one is disconnected by ZeroMQ. Requests carry actions,
#: which are small (M × the action's size).
DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024


class ProtocolError(ValueError):
    """A request that breaks the protocol: undecodable, of another version, out of session, or without a body."""


class EnvServer:
    """Serves one EnvHost's environments to one client at a time on a ROUTER socket bound at `endpoint`.

    A hello makes its sender the current client (taking the server over from any other and starting every episode
    afresh), unless it is `describe_only`, which only asks for the spec; requests of anyone else, and resets or steps
    before a hello, are answered with an EnvError. Whatever goes wrong in a request becomes an EnvError reply; the
    server keeps serving.
    """

    def __init__(
        self,
        host: EnvHost,
        endpoint: str,
        *,
        context: zmq.Context[Any] | None = None,
        heartbeats: Heartbeats | None = None,
        metrics: ServerMetrics | None = None,
        curve: CurveServer | None = None,
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
        poll_seconds: float = 0.1,
    ) -> None:
        self.host = host
        self.heartbeats = heartbeats
        self.metrics = metrics
        self._context = context if context is not None else zmq.Context.instance()
        self._socket = self._context.socket(zmq.ROUTER)
        self._socket.setsockopt(zmq.LINGER, 0)
        self._socket.setsockopt(zmq.MAXMSGSIZE, max_message_bytes)
        self._authenticator = curve.apply(self._context, self._socket) if curve is not None else None
        try:
            self._socket.bind(endpoint)
        except zmq.ZMQError:
            self._close_socket()
            raise
        #: The endpoint bound, with the port chosen for tcp://host:* or :0.
        self.endpoint: str = self._socket.getsockopt_string(zmq.LAST_ENDPOINT)
        self._socket_file = IpcSocketFile.bound_at(endpoint)
        # A receive waits at most this long, so that heartbeats and stop() are seen between requests.
        self._socket.setsockopt(zmq.RCVTIMEO, max(1, int(poll_seconds * 1000)))
        self._client: bytes | None = None
        self._stopping = False
        self.requests = 0
        self.errors = 0

    def stop(self) -> None:
        """Asks serve_forever to return after the request in hand (safe from a signal handler)."""
        self._stopping = True

    def serve_forever(self) -> None:
        """Answers requests until stop(); heartbeats go out between requests."""
        socket = self._socket
        while not self._stopping:
            try:
                frames = socket.recv_multipart()
            except zmq.Again:  # nothing within the poll interval
                frames = []
            if len(frames) >= 2:
                # [identity, (empty delimiter of a REQ client,) payload]: reply with the same envelope.
                reply = self.handle(frames[0], frames[-1])
                socket.send_multipart([*frames[:-1], reply], copy=False)
            if self.heartbeats is not None:
                self.heartbeats.tick(self.host.steps, self.requests, self.errors)

    def close(self) -> None:
        """Closes the socket, removing the file an ipc:// bind made (and the heartbeats' socket, the metrics
        endpoint)."""
        self._close_socket()
        if self._socket_file is not None:
            self._socket_file.remove()
        if self.heartbeats is not None:
            self.heartbeats.close()
        if self.metrics is not None:
            self.metrics.close()

    def _close_socket(self) -> None:
        self._socket.close()
        if self._authenticator is not None:
            self._authenticator.stop()

    def handle(self, identity: bytes, payload: bytes) -> bytes:
        """The serialised EnvReply to one request's payload from the client `identity`."""
        self.requests += 1
        started = time.perf_counter()
        request = env_pb2.EnvRequest()
        reply = env_pb2.EnvReply(protocol_version=PROTOCOL_VERSION)
        kind, steps = "undecodable", 0
        try:
            try:
                request.ParseFromString(payload)
            except DecodeError as error:
                raise ProtocolError(f"undecodable EnvRequest of {len(payload)} bytes ({error})") from None
            kind = request.WhichOneof("body") or "empty"
            reply.request_id = request.request_id
            answer = self._answer(identity, request, reply)
            steps = self.host.num_envs if kind == "step" else 0
        except Exception as error:
            self._fail(reply, error)
            if self.metrics is not None:
                self.metrics.failed(error_kind(error))
            answer = reply.SerializeToString()
        if self.metrics is not None:
            self.metrics.answered(kind, time.perf_counter() - started, steps)
        return answer

    def _answer(self, identity: bytes, request: env_pb2.EnvRequest, reply: env_pb2.EnvReply) -> bytes:
        """The serialised `reply` (which holds the envelope) to `request`, its body filled in."""
        if request.protocol_version != PROTOCOL_VERSION:
            raise ProtocolError(
                f"protocol version {request.protocol_version} is not spoken here "
                f"(this server speaks {PROTOCOL_VERSION})"
            )
        body = request.WhichOneof("body")
        if body == "hello":
            if not request.hello.describe_only:
                self._hello(identity, request.hello)
            reply.spec.CopyFrom(self.host.spec)
        elif body is None:
            raise ProtocolError("EnvRequest without a body (hello, reset or step)")
        elif identity != self._client:
            raise ProtocolError(
                f"{body} from a client without a session: send a hello first"
                + ("" if self._client is None else " (another client's hello took the server over)")
            )
        elif body == "reset":
            seeds = list(request.reset.seeds) or None
            to_tensor(self.host.reset(seeds), reply.observations.observations)
        else:
            return self._step(request.step, reply)
        return reply.SerializeToString()

    def _hello(self, identity: bytes, hello: env_pb2.EnvHello) -> None:
        if self._client is not None and identity != self._client:
            log.info("client %r takes over the server", hello.client or identity.hex())
        elif self._client is None:
            log.info("client %r says hello", hello.client or identity.hex())
        self._client = identity
        self.host.restart()

    def _step(self, step: env_pb2.EnvStep, envelope: env_pb2.EnvReply) -> bytes:
        if not step.HasField("actions"):
            raise ActionError(f"a step without actions (expected {self.host.actions.expected})")
        return step_reply(envelope, self.host.step(step.actions))

    def _fail(self, reply: env_pb2.EnvReply, error: Exception) -> None:
        self.errors += 1
        message = one_line(error)
        if isinstance(error, ProtocolError | RequestError | ActionError):
            details = ""
        else:
            message = f"{message} (the environments need a reset)"
            details = traceback.format_exc()
        reply.error.message = message
        reply.error.details = details
        log.warning("error reply to request %d: %s", reply.request_id, message)


def error_kind(error: Exception) -> str:
    """A request's error as a metric label: protocol, request, action, or environment (the environment raised)."""
    if isinstance(error, ProtocolError):
        return "protocol"
    if isinstance(error, RequestError):
        return "request"
    if isinstance(error, ActionError):
        return "action"
    return "environment"
