"""Life under Shoal's supervisor: heartbeats to it, and dying with it.

The supervisor starts a server with SHOAL_SUPERVISOR (the endpoint its heartbeats go to), SHOAL_RUN_ID,
SHOAL_INCARNATION and SHOAL_SUPERVISOR_PID in the environment; a server started by hand has none of them.
"""

from __future__ import annotations

import ctypes
import logging
import os
import resource
import socket
import sys
import time
from collections.abc import Mapping

import zmq

from shoal_env import PROTOCOL_VERSION
from shoal_env._proto import frame_pb2, process_pb2

log = logging.getLogger("shoal_env")

_PR_SET_PDEATHSIG = 1
_SIGKILL = 9


class Heartbeats:
    """Sends the supervisor a heartbeat at most once per interval, never blocking (one that cannot go is dropped).

    They are sent from the server's loop between requests, so an environment that hangs stops them and the
    supervisor restarts the server.
    """

    def __init__(
        self,
        context: zmq.Context[zmq.Socket[bytes]],
        endpoint: str,
        *,
        server_id: int,
        run_id: str,
        incarnation: int,
        interval_seconds: float,
    ) -> None:
        self.endpoint = endpoint
        self.interval = interval_seconds
        self._socket = context.socket(zmq.PUSH)
        self._socket.setsockopt(zmq.SNDHWM, 4)
        self._socket.setsockopt(zmq.LINGER, 100)
        self._socket.connect(endpoint)
        self._heartbeat = process_pb2.Heartbeat(
            run_id=run_id,
            role=process_pb2.ROLE_ENV_SERVER,
            id=server_id,
            pid=os.getpid(),
            host=socket.gethostname(),
            incarnation=incarnation,
        )
        self._next = 0.0
        self.sent = 0
        #: The port this server serves Prometheus metrics on, reported so that the supervisor can list the port
        #: chosen for ``--prometheus HOST:0``.
        self.metrics_port: int | None = None

    @classmethod
    def from_environment(
        cls,
        context: zmq.Context[zmq.Socket[bytes]],
        server_id: int,
        interval_seconds: float,
        environ: Mapping[str, str] = os.environ,
    ) -> Heartbeats | None:
        """Heartbeats to $SHOAL_SUPERVISOR when it is set, else None."""
        endpoint = environ.get("SHOAL_SUPERVISOR", "")
        if not endpoint:
            return None
        try:
            incarnation = int(environ.get("SHOAL_INCARNATION") or 1)
        except ValueError:
            incarnation = 1
        return cls(
            context,
            endpoint,
            server_id=server_id,
            run_id=environ.get("SHOAL_RUN_ID", ""),
            incarnation=incarnation,
            interval_seconds=interval_seconds,
        )

    def tick(self, environment_steps: int, requests: int, errors: int) -> None:
        """Sends a heartbeat if the interval has passed since the last one."""
        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + self.interval
        heartbeat = self._heartbeat
        heartbeat.timestamp_nanos = time.time_ns()
        heartbeat.environment_steps = environment_steps
        heartbeat.stats["requests"] = float(requests)
        heartbeat.stats["errors"] = float(errors)
        heartbeat.stats["peak_rss_mib"] = peak_memory_mib()
        if self.metrics_port is not None:
            heartbeat.stats["metrics_port"] = float(self.metrics_port)
        frame = frame_pb2.Frame(protocol_version=PROTOCOL_VERSION, heartbeat=heartbeat)
        try:
            self._socket.send(frame.SerializeToString(), zmq.NOBLOCK)
            self.sent += 1
        except zmq.Again:
            pass  # the supervisor is not reading; a newer heartbeat will say the same

    def close(self) -> None:
        self._socket.close()


def peak_memory_mib() -> float:
    """This process's peak resident memory, in MiB, as Shoal's processes report theirs (Linux gives kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def die_with_supervisor(environ: Mapping[str, str] = os.environ) -> None:
    """When started by a supervisor (SHOAL_SUPERVISOR_PID), asks the kernel to SIGKILL this process when its parent
    dies, and exits at once if the parent is already gone (the process was handed to another one)."""
    expected = environ.get("SHOAL_SUPERVISOR_PID", "")
    if not expected:
        return
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, _SIGKILL, 0, 0, 0) != 0:
            log.warning("prctl(PR_SET_PDEATHSIG) failed: %s", os.strerror(ctypes.get_errno()))
    try:
        supervisor = int(expected)
    except ValueError:
        log.warning("SHOAL_SUPERVISOR_PID=%r is not a process id; not watching the supervisor", expected)
        return
    if os.getppid() != supervisor:
        log.error("the supervisor (pid %d) is gone; exiting", supervisor)
        raise SystemExit(1)
