"""Sentry, when SENTRY_DSN is set: every error logged with its exception (a masked GraphQL
error, a failed background job, an outbox event given up on) is captured, by a structlog
processor. Without a DSN, sentry_sdk's capture calls do nothing."""

import sys
from collections.abc import MutableMapping
from typing import Any

import sentry_sdk

from server.settings import Settings

PRIVATE: dict[str, Any] = {
    "user_info": False,
    "http_bodies": [],
    "database_query_data": False,
    "stack_frame_variables": False,
}


def sentry_options(settings: Settings) -> dict[str, Any] | None:
    """None without a DSN. No personal data (`data_collection` supersedes the deprecated
    `send_default_pii=False`: no user identity, request bodies, SQL values or local
    variables), no performance tracing unless asked for, and no integrations that patch
    libraries behind our back (errors are captured explicitly)."""
    if settings.sentry_dsn is None:
        return None
    options: dict[str, Any] = {
        "dsn": settings.sentry_dsn.get_secret_value(),
        "environment": settings.env.value,
        "data_collection": PRIVATE,
        "traces_sample_rate": settings.sentry_traces_sample_rate,
        "auto_enabling_integrations": False,
    }
    if settings.release:
        options["release"] = settings.release
    return options


def init_sentry(settings: Settings) -> bool:
    options = sentry_options(settings)
    if options is None:
        return False
    sentry_sdk.init(**options)
    return True


ERROR_METHODS = frozenset({"error", "exception", "critical"})


def capture_logged_errors(
    _logger: Any, method_name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Sends an error-level log entry's exception to Sentry, tagged with the entry's event."""
    if method_name in ERROR_METHODS:
        error = _logged_exception(event_dict.get("exc_info"))
        if error is not None:
            with sentry_sdk.new_scope() as scope:
                scope.set_tag("log_event", str(event_dict.get("event")))
                sentry_sdk.capture_exception(error)
    return event_dict


def _logged_exception(exc_info: Any) -> BaseException | None:
    if isinstance(exc_info, BaseException):
        return exc_info
    if isinstance(exc_info, tuple):
        return exc_info[1]  # type: ignore[no-any-return]
    if exc_info:
        return sys.exc_info()[1]
    return None
