"""The partner mix: dashboards and integrations sending ad-hoc documents with an API key
(one of a few keys of the merchant's owner, who also reads reports and any account), one
query every 1 to 3 s: the merchant dashboard's days and recent payments, the merchant's
sales, the transaction volume report, weekly vehicle registrations, and the example
documents of clients/partner (balances, an account's statement)."""

import asyncio
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.population import Population
from bench.traffic import Data, Sender, document, pause

EXAMPLES = Path(__file__).parent.parent / "clients" / "partner"
BALANCES = (EXAMPLES / "balances.graphql").read_text()
STATEMENT = (EXAMPLES / "statement.graphql").read_text()
DASHBOARD = """
query PartnerDashboard($merchant: ID!, $from: Date!, $to: Date!) {
  merchant(id: $merchant) { id tradingName dashboard {
  days(from: $from, to: $to) { date sales { amountMinor } fees { amountMinor }
    refunds { amountMinor } net { amountMinor } paymentCount refundCount }
  recentPayments(first: 20) { edges { node { id status amount { amountMinor currency }
    fee { amountMinor } createdAt } } } } } }"""
SALES = """
query PartnerSales($merchant: ID!, $from: DateTime!) {
  transactions(first: 50, filter: {merchantId: $merchant, createdFrom: $from}) {
    edges { cursor node { id kind status amount { amountMinor currency } createdAt } }
    pageInfo { hasNextPage endCursor } } }"""
VOLUME = """
query PartnerVolume($from: Date!, $to: Date!) {
  transactionVolume(from: $from, to: $to, groupBy: DAY) {
    periods { from to totals { currency kind count total { amountMinor } } } } }"""
REGISTRATIONS = (
    "query PartnerRegistrations { vehicleRegistrationsPerWeek(weeks: 12) { weekStart count } }"
)
PERIODS_DAYS = (7, 30, 90)
"""Dashboards ask for the last week, month or quarter."""


@dataclass(frozen=True)
class PartnerMix:
    think_s: tuple[float, float] = (1.0, 3.0)


@dataclass
class Partners:
    sender: Sender
    population: Population
    mix: PartnerMix
    stop: asyncio.Event


class PartnerUser:
    def __init__(self, partners: Partners, number: int) -> None:
        self._partners = partners
        keys = partners.population.partner_keys
        self._authorization = f"ApiKey {keys[number % len(keys)]}"

    async def run(self, ramp_s: float) -> None:
        stop = self._partners.stop
        await pause(stop, random.uniform(0, ramp_s))
        while not stop.is_set():
            operation, query, variables = random.choices(QUERIES, WEIGHTS)[0](self._partners)
            body = document(query, variables)
            await self._partners.sender.send(operation, body, self._authorization)
            await pause(stop, random.uniform(*self._partners.mix.think_s))


Query = tuple[str, str, Data]


def _period() -> tuple[str, str]:
    today = datetime.now(UTC).date()
    return (today - timedelta(days=random.choice(PERIODS_DAYS))).isoformat(), today.isoformat()


def _dashboard(partners: Partners) -> Query:
    start, end = _period()
    variables = {"merchant": partners.population.merchant_id, "from": start, "to": end}
    return "PartnerDashboard", DASHBOARD, variables


def _sales(partners: Partners) -> Query:
    start = datetime.now(UTC) - timedelta(days=random.choice(PERIODS_DAYS))
    variables = {"merchant": partners.population.merchant_id, "from": start.isoformat()}
    return "PartnerSales", SALES, variables


def _volume(_: Partners) -> Query:
    start, end = _period()
    return "PartnerVolume", VOLUME, {"from": start, "to": end}


def _registrations(_: Partners) -> Query:
    return "PartnerRegistrations", REGISTRATIONS, {}


def _balances(_: Partners) -> Query:
    return "PartnerBalances", BALANCES, {}


def _statement(partners: Partners) -> Query:
    account = random.choice(partners.population.customers).account_id
    now = datetime.now(UTC)
    variables = {
        "accountId": account,
        "from": (now - timedelta(days=30)).isoformat(),
        "before": now.isoformat(),
    }
    return "PartnerStatement", STATEMENT, variables


QUERIES = (_dashboard, _sales, _volume, _registrations, _balances, _statement)
WEIGHTS = (3, 2, 2, 1, 1, 1)
