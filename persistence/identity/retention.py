"""Identity's retention: sessions once ended (with their refresh tokens), spent codes."""

from sqlalchemy import or_

from persistence.db import SessionFactory
from persistence.identity.tables import OneTimeTokenRow, RefreshTokenRow, SessionRow
from persistence.shared.retention import Dependent, TablePurge


def ended_sessions(session_factory: SessionFactory) -> TablePurge:
    return TablePurge(
        session_factory,
        SessionRow,
        [SessionRow.id],
        lambda cutoff: or_(SessionRow.expires_at < cutoff, SessionRow.revoked_at < cutoff),
        [Dependent(RefreshTokenRow, RefreshTokenRow.session_id)],
    )


def spent_one_time_tokens(session_factory: SessionFactory) -> TablePurge:
    return TablePurge(
        session_factory,
        OneTimeTokenRow,
        [OneTimeTokenRow.id],
        lambda cutoff: or_(OneTimeTokenRow.expires_at < cutoff, OneTimeTokenRow.used_at < cutoff),
    )
