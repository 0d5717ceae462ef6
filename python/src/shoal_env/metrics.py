"""An environment server's Prometheus endpoint (`shoal-env serve --prometheus HOST:PORT`), made with prometheus_client:
environment steps, requests by kind, errors by kind, the time each request takes, and the process's own metrics
(memory, CPU). Every series is labelled like those of Shoal's other processes: `run`, `role="env-server"`, and
`server` (the server's index)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from wsgiref.simple_server import WSGIServer

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    disable_created_metrics,
    start_http_server,
)
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

#: Request times, in seconds: a step of a few cheap environments takes tens of microseconds, one of many Atari
#: environments tens of milliseconds, a reset of them seconds.
REQUEST_SECONDS_BUCKETS = (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def parse_address(text: str) -> tuple[str, int]:
    """(host, port) of `HOST:PORT` (`[::1]:9100`, `:9100` for every interface); ValueError naming what is wrong."""
    host, colon, port = text.rpartition(":")
    if not colon or not port.isdigit() or int(port) > 65535:
        raise ValueError(f"{text!r} is not HOST:PORT, e.g. 0.0.0.0:9100")
    return host.strip("[]") or "0.0.0.0", int(port)


class LabelledProcessCollector(Collector):
    """prometheus_client's process metrics (memory, CPU, open files), with the server's labels on every sample."""

    def __init__(self, labels: Mapping[str, str]) -> None:
        self._process = ProcessCollector(registry=None)
        self._labels = dict(labels)

    def collect(self) -> Iterable[Metric]:
        for family in self._process.collect():
            labelled = Metric(family.name, family.documentation, family.type, family.unit)
            for sample in family.samples:
                labelled.add_sample(sample.name, {**self._labels, **sample.labels}, sample.value, sample.timestamp)
            yield labelled


class ServerMetrics:
    """The series of one environment server, served over HTTP until closed."""

    def __init__(self, address: str, *, run_id: str, server_id: int) -> None:
        host, port = parse_address(address)
        disable_created_metrics()  # no `*_created` series beside each counter, as with Shoal's other processes
        self.registry = CollectorRegistry()
        labels = {"run": run_id, "role": "env-server", "server": str(server_id)}
        self.registry.register(LabelledProcessCollector(labels))
        names = list(labels)
        self._steps = Counter(
            "shoal_env_steps", "Environment steps taken (one per environment per step request).", names,
            registry=self.registry,
        ).labels(**labels)
        self._requests = Counter(
            "shoal_env_requests", "Requests answered, by kind (hello, reset, step).", [*names, "kind"],
            registry=self.registry,
        )
        self._errors = Counter(
            "shoal_env_errors", "Requests answered with an error, by kind of error.", [*names, "error"],
            registry=self.registry,
        )
        self._seconds = Histogram(
            "shoal_env_request_seconds", "Time to answer a request, by kind.", [*names, "kind"],
            registry=self.registry, buckets=REQUEST_SECONDS_BUCKETS,
        )
        self._labels = labels
        self._http: WSGIServer
        self._http, _ = start_http_server(port, addr=host, registry=self.registry)
        #: The port bound (the one chosen when 0 was asked for).
        self.port: int = self._http.server_port

    def answered(self, kind: str, seconds: float, steps: int = 0) -> None:
        """Counts one request of `kind` that took `seconds` and stepped `steps` environments."""
        self._requests.labels(**self._labels, kind=kind).inc()
        self._seconds.labels(**self._labels, kind=kind).observe(seconds)
        if steps:
            self._steps.inc(steps)

    def failed(self, error: str) -> None:
        """Counts a request answered with an error of kind `error`."""
        self._errors.labels(**self._labels, error=error).inc()

    def close(self) -> None:
        """Stops serving and frees the port."""
        self._http.shutdown()
        self._http.server_close()
