"""Sentry events captured in memory: sentry's own Transport, never the network."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sentry_sdk
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from server.error_reporting import sentry_options
from server.settings import Environment, Settings

DSN = "https://public@sentry.example/1"


class CapturingTransport(Transport):
    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)

    def events(self) -> list[dict[str, Any]]:
        return [event for e in self.envelopes if (event := e.get_event()) is not None]


@contextmanager
def captured_sentry_events() -> Iterator[CapturingTransport]:
    """A Sentry client configured as production's would be, for this block only."""
    options = sentry_options(Settings(env=Environment.TEST, sentry_dsn=DSN))
    assert options is not None
    transport = CapturingTransport(options)
    client = sentry_sdk.Client(**options, transport=transport, default_integrations=False)
    with sentry_sdk.isolation_scope() as scope:
        scope.set_client(client)
        yield transport
        client.flush()
