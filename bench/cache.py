"""A read mix through the Redis caches: a merchant's dashboard twice for each public read
of the weekly VIN counts, with a payment to the merchant (its events dispatched) every
PAYMENT_EVERY reads; prints the mix's latency and each cache's hit rate over it, and the
dashboard read cached beside computed afresh."""

import time
from datetime import date, timedelta
from typing import Any

import httpx

from bench.timing import report, time_async
from resolvers.payments.merchant_days_cache import merchant_days_family
from schema.ids import from_global_id
from server.app import Runtime, create_app
from server.settings import Settings
from tests.support.graphql import GraphQLClient
from tests.support.identity import deliver_outbox
from tests.support.money import ShopOwner, approved_merchant, pay
from tests.support.payments import customer

READS, PAYMENT_EVERY = 300, 25
CACHES = ("permissions", "merchantDashboardDays", "vehicleRegistrationsPerWeek")
DASHBOARD = """query($merchant: ID!, $from: Date!, $to: Date!) { merchant(id: $merchant) {
  dashboard { days(from: $from, to: $to) { date sales { amountMinor } paymentCount } } } }"""
WEEKLY = "query($weeks: Int!) { vehicleRegistrationsPerWeek(weeks: $weeks) { weekStart count } }"


def counted(runtime: Runtime) -> dict[str, tuple[float, float]]:
    def value(kind: str, cache: str) -> float:
        sample = f"elcorp_cache_{kind}_total"
        return runtime.metrics.registry.get_sample_value(sample, {"cache": cache}) or 0.0

    return {cache: (value("hits", cache), value("misses", cache)) for cache in CACHES}


def last_month(shop: ShopOwner) -> dict[str, Any]:
    today = date.today()
    return {"merchant": shop.merchant_id, "from": str(today - timedelta(days=29)), "to": str(today)}


async def read_mix(runtime: Runtime, graphql: GraphQLClient, shop: ShopOwner) -> None:
    payer = await customer(runtime, graphql, 400_000)
    before = counted(runtime)
    samples = []
    for n in range(READS):
        if n % PAYMENT_EVERY == 0:
            await pay(graphql, payer, shop.merchant_id, 100)
            await deliver_outbox(runtime)
        started = time.perf_counter()
        if n % 3 == 2:
            await graphql(WEEKLY, {"weeks": 4})
        else:
            await graphql(DASHBOARD, last_month(shop), token=shop.owner.token)
        samples.append(time.perf_counter() - started)
    report("read mix: dashboard x2, weekly VIN counts x1", samples)
    after = counted(runtime)
    for cache in CACHES:
        hits, misses = (now - then for now, then in zip(after[cache], before[cache], strict=True))
        rate = hits / (hits + misses) if hits + misses else 0.0
        print(f"  {cache:<30} hits {hits:5.0f}  misses {misses:4.0f}  hit rate {rate:6.1%}")


async def run(settings: Settings) -> None:
    settings = settings.model_copy(update={"public_lookup_limit_per_minute": 10**6})
    runtime = Runtime(settings)
    app = create_app(settings, runtime=runtime)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench"
    ) as http:
        graphql = GraphQLClient(http)
        shop = await approved_merchant(runtime, graphql)
        await read_mix(runtime, graphql, shop)
        family = merchant_days_family(from_global_id(shop.merchant_id)[1])

        async def dashboard() -> None:
            await graphql(DASHBOARD, last_month(shop), token=shop.owner.token)

        async def computed_dashboard() -> None:
            await runtime.services.report_cache.invalidate(family)
            await dashboard()

        report("dashboard days (30), cached", await time_async(dashboard, 100))
        report("  computed afresh", await time_async(computed_dashboard, 100))
    await runtime.stop()
