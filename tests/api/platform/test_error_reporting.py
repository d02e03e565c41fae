"""Sentry: initialised only with SENTRY_DSN; masked unexpected errors are captured, without
personal data. Envelopes go to a capturing transport (sentry's own Transport), not the network."""

import sentry_sdk

from server.error_reporting import init_sentry, sentry_options
from server.settings import Environment, Settings
from tests.api.platform.test_errors import SCHEMA, FakeContext
from tests.support.sentry import DSN, captured_sentry_events


def test_without_a_dsn_sentry_is_not_initialised() -> None:
    settings = Settings(env=Environment.TEST, sentry_dsn=None)

    assert sentry_options(settings) is None
    assert init_sentry(settings) is False
    assert not sentry_sdk.get_client().is_active()


def test_with_a_dsn_sentry_sends_no_personal_data_and_no_traces() -> None:
    options = sentry_options(
        Settings(env=Environment.PRODUCTION, sentry_dsn=DSN, release="elcorp@1.2.3")
    )

    assert options == {
        "dsn": DSN,
        "environment": "production",
        "data_collection": {
            "user_info": False,
            "http_bodies": [],
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        "traces_sample_rate": 0.0,
        "auto_enabling_integrations": False,
        "release": "elcorp@1.2.3",
    }


async def test_a_masked_unexpected_error_is_captured() -> None:
    with captured_sentry_events() as sentry:
        result = await SCHEMA.execute("{ broken }", context_value=FakeContext("req-7"))

    assert result.errors
    assert result.errors[0].message == "Internal server error"
    (event,) = sentry.events()
    assert event["environment"] == "test"
    assert event["tags"]["log_event"] == "unexpected_error"
    assert "user" not in event
    (exception,) = event["exception"]["values"]
    assert not any("vars" in frame for frame in exception["stacktrace"]["frames"])
    assert (exception["type"], exception["value"]) == (
        "RuntimeError",
        "connection string postgres://secret@db",
    )
