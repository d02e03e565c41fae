"""What the server counted during a run: /metrics before and after, added up over its worker
processes (each counts on its own), as deltas. Cache counters are found by name (any
`*cache_hits*` with its `*cache_misses*`), so new caches are counted without a change here."""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import httpx
from prometheus_client.parser import text_string_to_metric_families

from server.app import METRICS_WORKER_HEADER

SampleKey = tuple[str, tuple[tuple[str, str], ...]]
Samples = dict[SampleKey, float]
SQL_HISTOGRAM = "elcorp_sql_duration_seconds"
REQUESTS = "elcorp_requests_total"


async def scrape(http: httpx.AsyncClient, workers: int) -> Samples:
    """Asks until every worker answered once: each request on a new connection, which
    whichever worker accepts it serves."""
    texts: dict[str, str] = {}
    for _ in range(100 * workers):
        response = await http.get("/metrics", headers={"connection": "close"})
        response.raise_for_status()
        texts.setdefault(response.headers[METRICS_WORKER_HEADER], response.text)
        if len(texts) == workers:
            return add_up(texts.values())
    raise RuntimeError(f"only {len(texts)} of {workers} workers answered /metrics")


def add_up(texts: Iterable[str]) -> Samples:
    total: Samples = defaultdict(float)
    for text in texts:
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if not sample.name.endswith("_created"):
                    total[(sample.name, tuple(sorted(sample.labels.items())))] += sample.value
    return dict(total)


def delta(before: Samples, after: Samples) -> Samples:
    return {key: value - before.get(key, 0.0) for key, value in after.items()}


@dataclass(frozen=True)
class ServerCounts:
    requests: float
    sql_statements: float
    sql_p95_ms: float | None
    cache_hits: dict[str, float]
    cache_misses: dict[str, float]

    @property
    def cache_hit_rate(self) -> float | None:
        hits, misses = sum(self.cache_hits.values()), sum(self.cache_misses.values())
        return hits / (hits + misses) if hits + misses else None

    def cache_breakdown(self) -> str:
        names = sorted(set(self.cache_hits) | set(self.cache_misses))
        return ", ".join(
            f"{name} {self.cache_hits.get(name, 0):.0f}/{self.cache_misses.get(name, 0):.0f}"
            for name in names
            if self.cache_hits.get(name) or self.cache_misses.get(name)
        )


def counts(change: Samples) -> ServerCounts:
    hits: dict[str, float] = defaultdict(float)
    misses: dict[str, float] = defaultdict(float)
    for (name, labels), value in change.items():
        if not name.endswith("_total"):
            continue
        label = ",".join([name.removesuffix("_total")] + [f"{k}={v}" for k, v in labels])
        if "cache_hits" in name:
            hits[label.replace("cache_hits", "cache")] += value
        elif "cache_misses" in name:
            misses[label.replace("cache_misses", "cache")] += value
    p95 = histogram_quantile(change, SQL_HISTOGRAM, 0.95)
    return ServerCounts(
        requests=sum(v for (name, _), v in change.items() if name == REQUESTS),
        sql_statements=change.get((f"{SQL_HISTOGRAM}_count", ()), 0.0),
        sql_p95_ms=None if p95 is None else p95 * 1000,
        cache_hits=dict(hits),
        cache_misses=dict(misses),
    )


def pool_in_use(samples: Samples) -> tuple[float, float]:
    """Connections checked out, and connections the pools keep, over every worker."""
    in_use = sum(
        v for (name, _), v in samples.items() if name == "elcorp_db_pool_connections_in_use"
    )
    kept = sum(v for (name, _), v in samples.items() if name == "elcorp_db_pool_size")
    return in_use, kept


def histogram_quantile(samples: Samples, name: str, q: float) -> float | None:
    """As PromQL's histogram_quantile: linear within the bucket the rank falls in."""
    by_bound: dict[float, float] = defaultdict(float)
    for (sample, labels), value in samples.items():
        if sample == f"{name}_bucket":
            by_bound[float(dict(labels)["le"])] += value
    buckets = sorted(by_bound.items())
    if not buckets or buckets[-1][1] <= 0:
        return None
    rank = q * buckets[-1][1]
    lower, below = 0.0, 0.0
    for bound, cumulative in buckets:
        if cumulative >= rank:
            if math.isinf(bound):
                return lower
            return lower + (bound - lower) * (rank - below) / max(cumulative - below, 1e-12)
        lower, below = bound, cumulative
    return lower
