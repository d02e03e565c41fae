"""The portal mix: each virtual customer works in sessions, as a browser tab would. A session
opens with the dashboard (PortalMe), then takes 5 to 15 actions, 1 to 3 s of think time
apart: the dashboard again, its longer history, the profile, or now and then a transfer
(by email, with an idempotency key) followed by a reload. A share of sessions starts with a
real login (argon2) and ends with logout; the others use a token issued beforehand. A share
keeps the live feed (myTransactionEvents) open. The portal's own trusted documents are sent
by hash; the profile, which the portal does not have, as a free-form query."""

import asyncio
import contextlib
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from bench.live_feed import LiveFeed
from bench.population import DEVICE, Customer
from bench.traffic import Data, Sender, document, pause, persisted
from tests.support.factories import PASSWORD

PROFILE = "query PortalProfile { me { id email fullName emailVerified mfaEnabled } }"


@dataclass(frozen=True)
class PortalMix:
    login_share: float = 0.05
    live_feed_share: float = 0.2
    think_s: tuple[float, float] = (1.0, 3.0)
    actions: tuple[int, int] = (5, 15)


@dataclass
class Portal:
    """What every portal user shares."""

    sender: Sender
    hashes: dict[str, str]
    customers: list[Customer]
    ws_url: str
    mix: PortalMix
    stop: asyncio.Event


class PortalUser:
    def __init__(self, portal: Portal, number: int, token: str) -> None:
        self._portal = portal
        self._me = portal.customers[number]
        self._token = token
        self._feed: LiveFeed | None = None

    async def run(self, ramp_s: float) -> None:
        stop = self._portal.stop
        await pause(stop, random.uniform(0, ramp_s))
        while not stop.is_set():
            await self._session()

    async def _session(self) -> None:
        mix, stop = self._portal.mix, self._portal.stop
        signs_in = random.random() < mix.login_share
        token = await self._login() if signs_in else self._token
        if token is None:
            await pause(stop, random.uniform(*mix.think_s))
            return
        authorization = f"Bearer {token}"
        feed = None
        if random.random() < mix.live_feed_share:
            self._feed = LiveFeed(self._portal.ws_url, authorization, self._portal.sender.recorder)
            feed = asyncio.create_task(self._feed.run())
        try:
            await self._dashboard(authorization)
            for _ in range(random.randint(*mix.actions) - 1):
                await pause(stop, random.uniform(*mix.think_s))
                if stop.is_set():
                    break
                await random.choices(ACTIONS, WEIGHTS)[0](self, authorization)
        finally:
            if feed is not None:
                feed.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await feed
            self._feed = None
        if signs_in:
            await self._send("PortalLogout", {}, authorization)
        await pause(stop, random.uniform(*mix.think_s))

    async def _send(
        self,
        operation: str,
        variables: Data,
        authorization: str,
        *,
        label: str | None = None,
        user_errors: Callable[[Data], str | None] | None = None,
    ) -> Data | None:
        """A trusted document by hash; recorded under `label` (default: its name)."""
        body = persisted(self._portal.hashes[operation], variables)
        return await self._portal.sender.send(label or operation, body, authorization, user_errors)

    async def _login(self) -> str | None:
        device = {"id": DEVICE.id, "name": DEVICE.name}
        variables = {
            "input": {"email": self._me.user.email, "password": PASSWORD, "device": device}
        }
        data = await self._send(
            "PortalLogin",
            variables,
            "",
            user_errors=lambda data: _first_code(data["login"]["errors"]),
        )
        tokens = data and data["login"]["tokens"]
        return tokens["accessToken"] if tokens else None

    async def _dashboard(self, authorization: str) -> None:
        await self._send("PortalMe", {"recent": 10}, authorization)

    async def _history(self, authorization: str) -> None:
        await self._send("PortalMe", {"recent": 20}, authorization, label="PortalMe (20)")

    async def _profile(self, authorization: str) -> None:
        await self._portal.sender.send("PortalProfile", document(PROFILE), authorization)

    async def _transfer(self, authorization: str) -> None:
        recipient = random.choice(self._portal.customers)
        if recipient is self._me:
            return
        amount = {"amountMinor": random.randint(100, 999), "currency": "NAD"}
        transfer = {
            "idempotencyKey": uuid.uuid4().hex,
            "fromAccountId": self._me.account_id,
            "to": {"email": recipient.user.email},
            "amount": amount,
            "reference": "load test",
        }
        sent_at = time.perf_counter()
        data = await self._send(
            "PortalTransfer",
            {"input": transfer},
            authorization,
            user_errors=lambda data: _first_code(data["transfer"]["errors"]),
        )
        transaction = data and data["transfer"]["transaction"]
        if transaction and self._feed is not None:
            self._feed.expect(transaction["id"], sent_at)
        await self._dashboard(authorization)


def _first_code(errors: list[dict[str, str]]) -> str | None:
    return errors[0]["code"] if errors else None


ACTIONS = (PortalUser._dashboard, PortalUser._history, PortalUser._profile, PortalUser._transfer)
WEIGHTS = (4, 2, 3, 1)
