"""A portal user's live feed: `myTransactionEvents` over graphql-transport-ws, held open
while the session lasts. It times the handshake (`subscribe`: connect to connection_ack)
and, for the user's own transfers, the delay from sending one to hearing of it."""

import asyncio
import time
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException
from websockets.typing import Subprotocol

from bench.recorder import Recorder
from bench.traffic import TIMEOUT_S, first_error_code

MY_EVENTS = "subscription PortalFeed { myTransactionEvents { seq status transaction { id } } }"
SUBPROTOCOL = Subprotocol("graphql-transport-ws")
EVENT_DELAY = "live event delay"


class LiveFeed:
    def __init__(self, url: str, authorization: str, recorder: Recorder) -> None:
        self._url = url
        self._authorization = authorization
        self._recorder = recorder
        self._sent: dict[str, float] = {}

    def expect(self, transaction_id: str, sent_at: float) -> None:
        self._sent[transaction_id] = sent_at

    async def run(self) -> None:
        """Until cancelled; a failure is recorded and ends the feed."""
        started = time.perf_counter()
        try:
            async with connect(self._url, subprotocols=[SUBPROTOCOL], open_timeout=TIMEOUT_S) as ws:
                await ws.send(
                    _message("connection_init", payload={"authorization": self._authorization})
                )
                ack = orjson.loads(await asyncio.wait_for(ws.recv(), TIMEOUT_S))
                if ack.get("type") != "connection_ack":
                    self._recorder.record("subscribe", started, f"no ack: {ack.get('type')}")
                    return
                self._recorder.record("subscribe", started)
                await ws.send(_message("subscribe", id="1", payload={"query": MY_EVENTS}))
                async for raw in ws:
                    await self._handle(ws, orjson.loads(raw))
        except (WebSocketException, OSError, TimeoutError) as failure:
            self._recorder.fail("subscribe", type(failure).__name__)

    async def _handle(self, ws: ClientConnection, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "next":
            payload = message["payload"]
            if payload.get("errors"):
                self._recorder.fail("subscribe", first_error_code(payload["errors"]))
                return
            transaction = payload["data"]["myTransactionEvents"]["transaction"]
            sent_at = self._sent.pop(transaction["id"], None) if transaction else None
            if sent_at is not None:
                self._recorder.observe(EVENT_DELAY, sent_at, time.perf_counter() - sent_at)
        elif kind == "ping":
            await ws.send(_message("pong"))
        elif kind in ("error", "complete"):
            self._recorder.fail("subscribe", f"subscription {kind}")


def _message(kind: str, **fields: object) -> str:
    return orjson.dumps({"type": kind, **fields}).decode()
