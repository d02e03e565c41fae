"""Identity's part of a subject's personal data: profile, KYC, sessions, API keys, MFA.

Erasure destroys the subject's data key (every encrypted field becomes unreadable), clears
the lookup hashes, replaces the email with a unique undeliverable tombstone, and deletes
what only served signing in. Secrets and hashes are never exported."""

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.personal_data import SubjectKeyring
from domain.compliance.data_subjects import ERASED, ErasureCounts
from domain.identity.kyc import KycProfile, KycStatus
from domain.identity.model import UserStatus
from domain.shared.ids import global_id
from persistence.db import SessionFactory
from persistence.identity.kyc import KycRepository
from persistence.identity.repository import UserRepository
from persistence.identity.tables import (
    ApiKeyRow,
    BackupCodeRow,
    KycProfileRow,
    OneTimeTokenRow,
    RefreshTokenRow,
    SessionRow,
    SubjectKeyRow,
    TotpCredentialRow,
    UserRow,
)

if TYPE_CHECKING:
    from persistence.uow import UnitOfWork


def erased_email(user_id: UUID) -> str:
    """Unique (the column is), and `.invalid` never delivers (RFC 2606)."""
    return f"erased-{user_id}@erased.invalid"


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


class IdentityPersonalData:
    section = "identity"

    def __init__(self, session_factory: SessionFactory, keyring: SubjectKeyring) -> None:
        self._session_factory = session_factory
        self._keyring = keyring

    async def export(self, subject_id: UUID) -> dict[str, Any]:
        async with self._session_factory() as db:
            user = await UserRepository(db, self._keyring).get(subject_id)
            if user is None:
                return {}
            profiles = await KycRepository(db, self._keyring).all_for_user(subject_id)
            return {
                "profile": {
                    "id": global_id("User", user.id),
                    "email": user.email,
                    "fullName": user.full_name,
                    "status": user.status.value.upper(),
                    "createdAt": user.created_at.isoformat(),
                    "emailVerifiedAt": _iso(user.email_verified_at),
                },
                "kyc": [_kyc(profile) for profile in profiles],
                "sessions": await _sessions(db, subject_id),
                "apiKeys": await _api_keys(db, subject_id),
                "mfa": await _mfa(db, subject_id),
            }

    async def erase(self, uow: "UnitOfWork", subject_id: UUID, at: datetime) -> ErasureCounts:
        db = uow.session
        keys = await db.execute(delete(SubjectKeyRow).where(SubjectKeyRow.user_id == subject_id))
        await db.execute(
            update(UserRow)
            .where(UserRow.id == subject_id)
            .values(
                email=erased_email(subject_id),
                full_name_ciphertext=b"",
                password_hash=None,
                mfa_enabled=False,
                status=UserStatus.ERASED.value,
                updated_at=at,
            )
        )
        withdrawn = await db.execute(
            update(KycProfileRow)
            .where(
                KycProfileRow.user_id == subject_id,
                KycProfileRow.status == KycStatus.SUBMITTED.value,
            )
            .values(status=KycStatus.REJECTED.value, reviewed_at=at, reason=ERASED)
        )
        kyc = await db.execute(
            update(KycProfileRow)
            .where(KycProfileRow.user_id == subject_id)
            .values(
                details_ciphertext=b"",
                national_id_lookup=None,
                phone_lookup=None,
                reason=case((KycProfileRow.reason.is_not(None), ERASED), else_=None),
            )
        )
        sessions = select(SessionRow.id).where(SessionRow.user_id == subject_id)
        refresh = await db.execute(
            delete(RefreshTokenRow).where(RefreshTokenRow.session_id.in_(sessions))
        )
        ended = await db.execute(delete(SessionRow).where(SessionRow.user_id == subject_id))
        one_time = await db.execute(
            delete(OneTimeTokenRow).where(OneTimeTokenRow.user_id == subject_id)
        )
        backup = await db.execute(delete(BackupCodeRow).where(BackupCodeRow.user_id == subject_id))
        totp = await db.execute(
            delete(TotpCredentialRow).where(TotpCredentialRow.user_id == subject_id)
        )
        api_keys = await db.execute(
            update(ApiKeyRow)
            .where(ApiKeyRow.owner_id == subject_id)
            .values(name=ERASED, revoked_at=func.coalesce(ApiKeyRow.revoked_at, at))
        )
        return {
            "data_keys_destroyed": keys.rowcount,
            "kyc_profiles_tombstoned": kyc.rowcount,
            "kyc_profiles_withdrawn": withdrawn.rowcount,
            "sessions_deleted": ended.rowcount,
            "refresh_tokens_deleted": refresh.rowcount,
            "one_time_tokens_deleted": one_time.rowcount,
            "totp_credentials_deleted": totp.rowcount,
            "backup_codes_deleted": backup.rowcount,
            "api_keys_revoked": api_keys.rowcount,
        }


def _kyc(profile: KycProfile) -> dict[str, Any]:
    details = profile.details
    readable = details.national_id != ERASED
    return {
        "id": global_id("KycProfile", profile.id),
        "status": profile.status.value.upper(),
        "submittedAt": profile.submitted_at.isoformat(),
        "reviewedAt": _iso(profile.reviewed_at),
        "reason": profile.reason,
        "nationalId": details.national_id,
        "phone": details.phone,
        "dateOfBirth": details.date_of_birth.isoformat() if readable else None,
    }


async def _sessions(db: AsyncSession, subject_id: UUID) -> list[dict[str, Any]]:
    rows = await db.scalars(
        select(SessionRow).where(SessionRow.user_id == subject_id).order_by(SessionRow.id)
    )
    return [
        {
            "id": global_id("Session", row.id),
            "deviceId": row.device_id,
            "deviceName": row.device_name,
            "ip": row.ip,
            "createdAt": row.created_at.isoformat(),
            "lastSeenAt": row.last_seen_at.isoformat(),
            "expiresAt": row.expires_at.isoformat(),
            "revokedAt": _iso(row.revoked_at),
            "authMethods": list(row.auth_methods),
        }
        for row in rows
    ]


async def _api_keys(db: AsyncSession, subject_id: UUID) -> list[dict[str, Any]]:
    rows = await db.scalars(
        select(ApiKeyRow).where(ApiKeyRow.owner_id == subject_id).order_by(ApiKeyRow.id)
    )
    return [
        {
            "id": global_id("ApiKey", row.id),
            "name": row.name,
            "scopes": list(row.scopes),
            "createdAt": row.created_at.isoformat(),
            "revokedAt": _iso(row.revoked_at),
        }
        for row in rows
    ]


async def _mfa(db: AsyncSession, subject_id: UUID) -> dict[str, Any]:
    confirmed_at = await db.scalar(
        select(TotpCredentialRow.confirmed_at).where(TotpCredentialRow.user_id == subject_id)
    )
    unused = await db.scalar(
        select(func.count()).where(
            BackupCodeRow.user_id == subject_id, BackupCodeRow.used_at.is_(None)
        )
    )
    return {
        "totpEnabled": confirmed_at is not None,
        "totpConfirmedAt": _iso(confirmed_at),
        "unusedBackupCodes": int(unused or 0),
    }


class KnownSubjects:
    def __init__(self, session_factory: SessionFactory) -> None:
        self._session_factory = session_factory

    async def exists(self, subject_id: UUID) -> bool:
        async with self._session_factory() as db:
            found = await db.scalar(select(UserRow.id).where(UserRow.id == subject_id))
        return found is not None
