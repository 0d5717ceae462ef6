"""The `shoal-env` command: `serve` environments over the environment protocol, or `describe` what it would serve."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from collections.abc import Sequence
from types import FrameType
from typing import TYPE_CHECKING, Any

import zmq

from shoal_env import __version__
from shoal_env.curve import CurveServer, KeyFileError
from shoal_env.describe import spec_to_json
from shoal_env.host import EnvHost
from shoal_env.spaces import UnsupportedSpaceError
from shoal_env.server import EnvServer
from shoal_env.supervision import Heartbeats, die_with_supervisor
from shoal_env.vector import GYMNASIUM_PREFIX, PYTHON_PREFIX, VECTORIZATIONS, EnvMakeError, make_vector_env

if TYPE_CHECKING:
    from shoal_env.metrics import ServerMetrics

log = logging.getLogger("shoal_env")

EXIT_CANNOT_SERVE = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command; its exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "serve" and (args.curve_secret_key is None) != (args.curve_allow is None):
        parser.error("--curve-secret-key and --curve-allow go together: give both or neither")
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s shoal-env[%(process)d] %(levelname)s %(message)s"
    )
    if args.command == "describe":
        return _describe(args)
    return _serve(args)


def _serve(args: argparse.Namespace) -> int:
    die_with_supervisor()
    try:
        vector = make_vector_env(args.env, args.num_envs, args.env_args, args.vectorization, args.wrappers)
        host = EnvHost(vector, seed=args.seed)
    except (EnvMakeError, UnsupportedSpaceError) as error:
        return _cannot_serve(args.env, error)
    try:
        curve = CurveServer.from_files(args.curve_secret_key, args.curve_allow) if args.curve_secret_key else None
    except KeyFileError as error:
        print(f"shoal-env: {error}", file=sys.stderr)
        vector.env.close()
        return EXIT_CANNOT_SERVE
    try:
        metrics = _serve_metrics(args.prometheus, args.id) if args.prometheus is not None else None
    except OSError as error:
        print(f"shoal-env: cannot serve metrics at {args.prometheus}: {error}", file=sys.stderr)
        vector.env.close()
        return 1
    context: zmq.Context[Any] = zmq.Context()
    heartbeats = Heartbeats.from_environment(context, args.id, args.heartbeat_seconds)
    if heartbeats is not None and metrics is not None:
        heartbeats.metrics_port = metrics.port
    try:
        server = EnvServer(host, args.endpoint, context=context, heartbeats=heartbeats, metrics=metrics, curve=curve)
    except zmq.ZMQError as error:
        print(f"shoal-env: cannot bind {args.endpoint}: {error}", file=sys.stderr)
        if heartbeats is not None:
            heartbeats.close()
        if metrics is not None:
            metrics.close()
        vector.env.close()
        context.term()
        return 1

    def stop(signum: int, _: FrameType | None) -> None:
        server.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info(
        "serving %s at %s: M=%d, %s (%s vectorization, %s autoreset), observations %s as %s %s, actions %s%s",
        args.env,
        server.endpoint,
        host.num_envs,
        vector.implementation,
        vector.vectorization,
        vector.autoreset_mode.name,
        vector.env.single_observation_space,
        host.layout.dtype,
        list(host.layout.shape),
        vector.env.single_action_space,
        f", heartbeats to {heartbeats.endpoint}" if heartbeats is not None else "",
    )
    if metrics is not None:
        log.info("prometheus metrics on port %d (/metrics)", metrics.port)
    try:
        server.serve_forever()
    finally:
        server.close()
        vector.env.close()
        context.term()
    log.info("stopped after %d requests (%d errors)", server.requests, server.errors)
    return 0


def _describe(args: argparse.Namespace) -> int:
    try:
        vector = make_vector_env(args.env, 1, args.env_args, args.vectorization, args.wrappers)
        host = EnvHost(vector)
    except (EnvMakeError, UnsupportedSpaceError) as error:
        return _cannot_serve(args.env, error)
    vector.env.close()
    print(json.dumps(spec_to_json(host.spec), indent=2))
    return 0


def _cannot_serve(env: str, error: Exception) -> int:
    print(f"shoal-env: cannot serve {env}: {error}", file=sys.stderr)
    return EXIT_CANNOT_SERVE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shoal-env", description="Serve gymnasium environments over Shoal's environment protocol."
    )
    parser.add_argument("--version", action="version", version=f"shoal-env {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="host M environments and serve them on a ZeroMQ endpoint")
    serve.add_argument("endpoint", metavar="ENDPOINT", type=_endpoint, help="ipc://PATH or tcp://HOST:PORT to bind")
    _add_env(serve)
    serve.add_argument("--num-envs", type=_positive_int, default=16, metavar="M", help="environments (default 16)")
    serve.add_argument("--seed", type=_seed, default=None, metavar="N", help="seeds the seeds drawn for resets without")
    serve.add_argument("--id", type=_uint32, default=0, metavar="N", help="this server's index, for heartbeats")
    serve.add_argument(
        "--heartbeat-seconds",
        type=_positive_float,
        default=1.0,
        metavar="S",
        help="at most one heartbeat per S seconds to $SHOAL_SUPERVISOR, when set (default 1.0)",
    )
    serve.add_argument(
        "--prometheus",
        type=_metrics_address,
        default=None,
        metavar="HOST:PORT",
        help="serve Prometheus metrics at http://HOST:PORT/metrics (steps, requests, errors, request times)",
    )
    serve.add_argument(
        "--curve-secret-key", metavar="FILE", help="serve over CurveZMQ with this secret key (from shoal keygen)"
    )
    serve.add_argument(
        "--curve-allow", metavar="FILE_OR_DIR", help="the clients admitted: public keys one a line, or a folder of .pub"
    )

    describe = commands.add_parser("describe", help="print the spaces and the observation layout as JSON")
    _add_env(describe)
    return parser


def _add_env(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--env",
        required=True,
        type=_env_string,
        metavar="ENV",
        help="gymnasium:<id> or python:<module>:<callable> (a callable returning a gymnasium.Env)",
    )
    parser.add_argument(
        "--env-args",
        type=_json_object,
        default={},
        metavar="JSON",
        help='keyword arguments for gymnasium.make or the callable, as a JSON object: \'{"g": 9.81}\'',
    )
    parser.add_argument(
        "--wrappers",
        type=lambda text: [name for name in text.split(",") if name],
        default=[],
        metavar="NAME[,NAME]",
        help="wrapper pipelines around each environment, in order: atari (AtariPreprocessing, 4 stacked frames, "
        "channels last; the environment made with frameskip 1), channels-last",
    )
    parser.add_argument(
        "--vectorization",
        choices=VECTORIZATIONS,
        default="auto",
        help="native: the environment's own vector env, in its autoreset mode (SAME_STEP or NEXT_STEP); "
        "sync: SyncVectorEnv in SAME_STEP mode; auto (default): native when the environment has one, else sync",
    )


def _endpoint(text: str) -> str:
    if not text.startswith(("ipc://", "tcp://")) or len(text) <= len("ipc://"):
        raise argparse.ArgumentTypeError(f"{text!r} is not ipc://PATH or tcp://HOST:PORT")
    return text


def _env_string(text: str) -> str:
    if not text.startswith((GYMNASIUM_PREFIX, PYTHON_PREFIX)):
        raise argparse.ArgumentTypeError(f"{text!r} is not gymnasium:<id> or python:<module>:<callable>")
    return text


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise argparse.ArgumentTypeError(f"not JSON: {error}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"must be a JSON object of keyword arguments, not {type(value).__name__}")
    return value


def _integer(text: str, low: int, high: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{value} is not {what}")
    return value


def _positive_int(text: str) -> int:
    return _integer(text, 1, 2**32 - 1, "a positive integer")


def _uint32(text: str) -> int:
    return _integer(text, 0, 2**32 - 1, "in 0...4294967295")


def _seed(text: str) -> int:
    return _integer(text, 0, 2**64 - 1, "a seed in 0...2**64-1")


def _serve_metrics(address: str, server_id: int) -> ServerMetrics:
    from shoal_env.metrics import ServerMetrics

    return ServerMetrics(address, run_id=os.environ.get("SHOAL_RUN_ID", ""), server_id=server_id)


def _metrics_address(text: str) -> str:
    try:
        from shoal_env.metrics import parse_address
    except ImportError:
        raise argparse.ArgumentTypeError("needs prometheus-client: pip install prometheus-client") from None
    try:
        parse_address(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{value} is not a positive number of seconds")
    return value
