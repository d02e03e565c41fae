"""Latencies and failures of the requests that started inside the measured window."""

import time
from collections import Counter, defaultdict
from dataclasses import dataclass

from bench.timing import percentile


@dataclass(frozen=True)
class Summary:
    requests: int
    per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int

    def line(self) -> str:
        return (
            f"{self.requests:>7} req {self.per_second:7.1f}/s  p50 {self.p50_ms:7.1f}  "
            f"p95 {self.p95_ms:7.1f}  p99 {self.p99_ms:7.1f} ms  errors {self.errors}"
        )


def summarize(latencies_s: list[float], errors: int, seconds: float) -> Summary:
    ordered = sorted(latencies_s) or [0.0]
    return Summary(
        requests=len(latencies_s),
        per_second=len(latencies_s) / seconds,
        p50_ms=percentile(ordered, 0.50) * 1000,
        p95_ms=percentile(ordered, 0.95) * 1000,
        p99_ms=percentile(ordered, 0.99) * 1000,
        errors=errors,
    )


class Recorder:
    """Every request counts once, failed ones too (a timeout with the time it waited)."""

    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[tuple[str, str]] = Counter()
        self.observations: dict[str, list[float]] = defaultdict(list)
        """Times that are not requests' (a live event's delay), in seconds."""
        self._opened_at: float | None = None
        self._closed_at: float | None = None

    def open(self) -> None:
        self._opened_at = time.perf_counter()

    def close(self) -> None:
        self._closed_at = time.perf_counter()

    @property
    def seconds(self) -> float:
        assert self._opened_at is not None
        assert self._closed_at is not None
        return self._closed_at - self._opened_at

    def record(self, operation: str, started: float, error: str | None = None) -> None:
        """`started`: the request's time.perf_counter() when it was sent."""
        if not self._measuring(started):
            return
        self.latencies[operation].append(time.perf_counter() - started)
        if error is not None:
            self.errors[(operation, error)] += 1

    def fail(self, operation: str, error: str) -> None:
        """A failure that is not a request's (a live stream closed under its reader)."""
        if self._measuring(time.perf_counter()):
            self.errors[(operation, error)] += 1

    def observe(self, name: str, started: float, seconds: float) -> None:
        if self._measuring(started):
            self.observations[name].append(seconds)

    def total(self) -> Summary:
        every = [latency for samples in self.latencies.values() for latency in samples]
        return summarize(every, sum(self.errors.values()), self.seconds)

    def _measuring(self, started: float) -> bool:
        if self._opened_at is None or started < self._opened_at:
            return False
        return self._closed_at is None or started < self._closed_at

    def by_operation(self) -> dict[str, Summary]:
        return {
            operation: summarize(
                samples,
                sum(n for (failed, _), n in self.errors.items() if failed == operation),
                self.seconds,
            )
            for operation, samples in sorted(self.latencies.items())
        }
