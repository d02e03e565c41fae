import math
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence


def percentile(ordered: Sequence[float], q: float) -> float:
    """Nearest rank, of samples sorted ascending."""
    return ordered[max(math.ceil(len(ordered) * q) - 1, 0)]


def report(name: str, samples_s: list[float]) -> dict[str, float]:
    ordered = sorted(samples_s)
    p50 = statistics.median(ordered) * 1000
    p95 = percentile(ordered, 0.95) * 1000
    print(f"{name:<52} n={len(ordered):>5}  p50 {p50:8.3f} ms  p95 {p95:8.3f} ms")
    return {"p50_ms": p50, "p95_ms": p95}


def time_sync(fn: Callable[[], object], n: int) -> list[float]:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


async def time_async(fn: Callable[[], Awaitable[object]], n: int) -> list[float]:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - started)
    return samples
