"""Payments asks identity for an owner's limits: the KYC tier decides them."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from adapters.personal_data import SubjectKeyring
from domain.identity.kyc import TIER_LIMITS, KycTier
from domain.payments.ports import Limits
from persistence.identity.kyc import KycRepository


class KycTierLimits:
    """Reads on the command's session, so a command never needs a second connection."""

    def __init__(self, session: AsyncSession, keyring: SubjectKeyring) -> None:
        self._session = session
        self._keyring = keyring

    async def for_owner(self, owner_id: UUID) -> Limits:
        (profile,) = await KycRepository(self._session, self._keyring).latest_for_users([owner_id])
        tier = profile.tier if profile is not None else KycTier.UNVERIFIED
        limits = TIER_LIMITS[tier]
        return Limits(limits.max_balance, limits.daily_outflow, limits.per_transaction)
