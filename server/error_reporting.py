"""Sentry, when SENTRY_DSN is set: unexpected (masked) GraphQL errors are captured by
schema/extensions.py. Without a DSN, sentry_sdk's capture calls do nothing."""

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
