"""KYC profiles; the identifying details are one encrypted JSON document per profile."""

from datetime import date
from uuid import UUID

import orjson
from sqlalchemy import Select, insert, select, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.personal_data import SubjectKeyring
from domain.identity.kyc import KycDetails, KycProfile, KycStatus
from domain.shared.errors import DomainError
from persistence.identity.subject_keys import wrapped_key_of
from persistence.identity.tables import KycProfileRow, SubjectKeyRow

DETAILS_FIELD = "kyc_details"


class KycRepository:
    def __init__(self, session: AsyncSession, keyring: SubjectKeyring) -> None:
        self._db = session
        self._keyring = keyring

    async def add(self, profile: KycProfile) -> None:
        wrapped = await wrapped_key_of(self._db, profile.user_id)
        if wrapped is None:
            raise DomainError("This account's personal data was erased")
        details = orjson.dumps(
            {
                "national_id": profile.details.national_id,
                "phone": profile.details.phone,
                "date_of_birth": profile.details.date_of_birth.isoformat(),
            }
        ).decode()
        await self._db.execute(
            insert(KycProfileRow).values(
                id=profile.id,
                user_id=profile.user_id,
                details_ciphertext=self._keyring.encrypt(
                    profile.user_id, wrapped, DETAILS_FIELD, details
                ),
                national_id_lookup=self._keyring.lookup_hash(
                    "national_id", profile.details.national_id
                ),
                phone_lookup=self._keyring.lookup_hash("phone", profile.details.phone),
                status=profile.status.value,
                submitted_at=profile.submitted_at,
            )
        )

    async def latest_for_user(self, user_id: UUID) -> KycProfile | None:
        return await self._one(
            _profiles()
            .where(KycProfileRow.user_id == user_id)
            .order_by(KycProfileRow.submitted_at.desc())
            .limit(1)
        )

    async def latest_for_users(self, user_ids: list[UUID]) -> list[KycProfile | None]:
        rows = await self._db.execute(
            _profiles()
            .where(KycProfileRow.user_id.in_(user_ids))
            .ext(distinct_on(KycProfileRow.user_id))
            .order_by(KycProfileRow.user_id, KycProfileRow.submitted_at.desc())
        )
        by_user = {row.user_id: self._to_profile(row, key) for row, key in rows}
        return [by_user.get(user_id) for user_id in user_ids]

    async def all_for_user(self, user_id: UUID) -> list[KycProfile]:
        """Oldest first."""
        rows = await self._db.execute(
            _profiles().where(KycProfileRow.user_id == user_id).order_by(KycProfileRow.submitted_at)
        )
        return [self._to_profile(row, key) for row, key in rows]

    async def get_for_update(self, kyc_id: UUID) -> KycProfile | None:
        return await self._one(
            _profiles().where(KycProfileRow.id == kyc_id).with_for_update(of=KycProfileRow)
        )

    async def get(self, kyc_id: UUID) -> KycProfile | None:
        return await self._one(_profiles().where(KycProfileRow.id == kyc_id))

    async def queue(self, status: KycStatus, limit: int, after: UUID | None) -> list[KycProfile]:
        query = _profiles().where(KycProfileRow.status == status.value)
        if after is not None:
            query = query.where(KycProfileRow.id > after)
        rows = await self._db.execute(query.order_by(KycProfileRow.id).limit(limit))
        return [self._to_profile(row, key) for row, key in rows]

    async def save_review(self, profile: KycProfile) -> None:
        await self._db.execute(
            update(KycProfileRow)
            .where(KycProfileRow.id == profile.id)
            .values(
                status=profile.status.value,
                reviewed_at=profile.reviewed_at,
                reviewer_id=profile.reviewer_id,
                reason=profile.reason,
            )
        )

    async def _one(self, query: Select) -> KycProfile | None:  # type: ignore[type-arg]
        found = (await self._db.execute(query)).first()
        return None if found is None else self._to_profile(*found)

    def _to_profile(self, row: KycProfileRow, wrapped: bytes | None) -> KycProfile:
        if wrapped is None:
            details = KycDetails(national_id="[erased]", phone="[erased]", date_of_birth=date.min)
        else:
            raw = orjson.loads(
                self._keyring.decrypt(row.user_id, wrapped, DETAILS_FIELD, row.details_ciphertext)
            )
            details = KycDetails(
                national_id=raw["national_id"],
                phone=raw["phone"],
                date_of_birth=date.fromisoformat(raw["date_of_birth"]),
            )
        return KycProfile(
            id=row.id,
            user_id=row.user_id,
            details=details,
            status=KycStatus(row.status),
            submitted_at=row.submitted_at,
            reviewed_at=row.reviewed_at,
            reviewer_id=row.reviewer_id,
            reason=row.reason,
        )


def _profiles() -> Select:  # type: ignore[type-arg]
    return select(KycProfileRow, SubjectKeyRow.wrapped_key).outerjoin(
        SubjectKeyRow, SubjectKeyRow.user_id == KycProfileRow.user_id
    )
