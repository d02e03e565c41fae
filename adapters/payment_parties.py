"""What payments needs from identity and governance, read in the command's transaction."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.personal_data import SubjectKeyring
from domain.governance.roles import MERCHANT
from domain.identity.kyc import KycStatus
from domain.identity.model import normalize_email
from persistence.governance.repository import RoleAssignmentRepository
from persistence.identity.tables import KycProfileRow, UserRow


class Recipients:
    """Email addresses and KYC-verified phone numbers of active users."""

    def __init__(self, session: AsyncSession, keyring: SubjectKeyring) -> None:
        self._db = session
        self._keyring = keyring

    async def by_email(self, email: str) -> UUID | None:
        return await self._db.scalar(
            select(UserRow.id).where(
                UserRow.email == normalize_email(email), UserRow.status == "active"
            )
        )

    async def by_phone(self, phone: str) -> UUID | None:
        lookup = self._keyring.lookup_hash("phone", phone.replace(" ", ""))
        found = await self._db.scalars(
            select(KycProfileRow.user_id)
            .join(UserRow, UserRow.id == KycProfileRow.user_id)
            .where(
                KycProfileRow.phone_lookup == lookup,
                KycProfileRow.status == KycStatus.APPROVED.value,
                UserRow.status == "active",
            )
            .distinct()
            .limit(2)
        )
        owners = list(found)
        return owners[0] if len(owners) == 1 else None


class ActiveUsers:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def exists(self, user_id: UUID) -> bool:
        found = await self._db.scalar(
            select(UserRow.id).where(UserRow.id == user_id, UserRow.status == "active")
        )
        return found is not None


class MerchantRoles:
    def __init__(self, session: AsyncSession) -> None:
        self._roles = RoleAssignmentRepository(session)

    async def grant_merchant(self, user_id: UUID) -> None:
        await self._roles.assign(user_id, [MERCHANT])
