import re

import httpx


async def cache_counts(http: httpx.AsyncClient, cache: str) -> tuple[float, float]:
    """Hits and misses of one cache as `/metrics` shows them."""
    metrics = (await http.get("/metrics")).text

    def value(kind: str) -> float:
        found = re.search(rf'elcorp_cache_{kind}_total{{cache="{cache}"}} (\S+)', metrics)
        return float(found.group(1)) if found else 0.0

    return value("hits"), value("misses")
