"""What payments needs from identity and governance: in a command's transaction, or to show."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.personal_data import SubjectKeyring
from domain.governance.roles import MERCHANT
from domain.identity.kyc import KycStatus
from domain.identity.model import normalize_email, public_name
from domain.payments.model import AccountKind
from domain.payments.reads import Party
from persistence.governance.repository import RoleAssignmentRepository
from persistence.identity.repository import ERASED_NAME
from persistence.identity.tables import KycProfileRow, SubjectKeyRow, UserRow
from persistence.payments.tables import AccountRow, MerchantRow


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


class PartyDirectory:
    """Accounts as their counterparties see them: a customer's public name, a merchant's
    trading name. One statement for any number of accounts."""

    def __init__(self, session: AsyncSession, keyring: SubjectKeyring) -> None:
        self._db = session
        self._keyring = keyring

    async def of_accounts(self, account_ids: Sequence[UUID]) -> list[Party | None]:
        rows = await self._db.execute(
            select(
                AccountRow.id,
                AccountRow.kind,
                AccountRow.owner_id,
                UserRow.full_name_ciphertext,
                SubjectKeyRow.wrapped_key,
                MerchantRow.trading_name,
            )
            .outerjoin(UserRow, UserRow.id == AccountRow.owner_id)
            .outerjoin(SubjectKeyRow, SubjectKeyRow.user_id == AccountRow.owner_id)
            .outerjoin(
                MerchantRow,
                (MerchantRow.owner_id == AccountRow.owner_id)
                & (AccountRow.kind == AccountKind.MERCHANT_SETTLEMENT.value),
            )
            .where(AccountRow.id.in_(account_ids))
        )
        found = {
            account_id: Party(
                account_id=account_id,
                kind=AccountKind(kind),
                owner_id=owner_id,
                name=trading_name or self._name(owner_id, ciphertext, wrapped_key),
            )
            for account_id, kind, owner_id, ciphertext, wrapped_key, trading_name in rows
        }
        return [found.get(account_id) for account_id in account_ids]

    def _name(self, owner_id: UUID | None, ciphertext: bytes | None, key: bytes | None) -> str:
        if owner_id is None or ciphertext is None:
            return ""
        if key is None:
            return ERASED_NAME
        return public_name(self._keyring.decrypt(owner_id, key, "full_name", ciphertext))
