from datetime import datetime
from typing import Any
from uuid import UUID

from domain.identity.model import Session, User
from domain.shared.events import DomainEvent

USER_CREATED = "identity.user_created"
PROFILE_UPDATED = "identity.profile_updated"
VERIFICATION_EMAIL_REQUESTED = "identity.verification_email_requested"
EMAIL_VERIFIED = "identity.email_verified"
SESSION_STARTED = "identity.session_started"
SESSION_REFRESHED = "identity.session_refreshed"
SESSION_REVOKED = "identity.session_revoked"
REFRESH_TOKEN_REUSED = "identity.refresh_token_reused"
ACCOUNT_LOCKED = "identity.account_locked"
PASSWORD_REHASHED = "identity.password_rehashed"
PASSWORD_RESET_REQUESTED = "identity.password_reset_requested"
PASSWORD_CHANGED = "identity.password_changed"


def user_event(name: str, user: User, at: datetime, **payload: Any) -> DomainEvent:
    return DomainEvent(
        name=name,
        aggregate_type="User",
        aggregate_id=user.id,
        occurred_at=at,
        payload=payload,
        audience=(user.id,),
    )


def user_created(user: User, roles: tuple[str, ...]) -> DomainEvent:
    """Events carry no personal data: the outbox and the audit log outlive erasure."""
    return user_event(USER_CREATED, user, user.created_at, roles=list(roles))


def profile_updated(before: User, after: User, at: datetime) -> DomainEvent:
    changed = [field for field in ("full_name",) if getattr(before, field) != getattr(after, field)]
    return user_event(PROFILE_UPDATED, after, at, changed=changed)


def verification_email_requested(user: User, token_id: UUID, at: datetime) -> DomainEvent:
    return mail_requested(VERIFICATION_EMAIL_REQUESTED, user, token_id, at)


def mail_requested(name: str, user: User, token_id: UUID, at: datetime) -> DomainEvent:
    """Private: the mail adapter sends it; it is never broadcast to subscribers."""
    return DomainEvent(
        name=name,
        aggregate_type="User",
        aggregate_id=user.id,
        occurred_at=at,
        payload={"one_time_id": str(token_id)},
        broadcast=False,
    )


def session_event(name: str, session: Session, at: datetime, **payload: Any) -> DomainEvent:
    return DomainEvent(
        name=name,
        aggregate_type="Session",
        aggregate_id=session.id,
        occurred_at=at,
        payload={"user_id": str(session.user_id), "device_id": session.device.id, **payload},
        audience=(session.user_id,),
    )
