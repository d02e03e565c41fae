from datetime import date
from uuid import UUID

from domain.identity.events import user_event
from domain.identity.kyc import (
    KYC_REVIEWED,
    KYC_SUBMITTED,
    KycDetails,
    KycProfile,
    KycStatus,
    ensure_can_submit,
)
from domain.identity.ports import KycUnitOfWork
from domain.shared.clock import Clock
from domain.shared.errors import NotFound
from domain.shared.ids import new_id


class KycService:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def submit(
        self,
        uow: KycUnitOfWork,
        user_id: UUID,
        national_id: str,
        phone: str,
        date_of_birth: date,
    ) -> KycProfile:
        now = self._clock.now()
        details = KycDetails.checked(national_id, phone, date_of_birth, now.date())
        ensure_can_submit(await uow.kyc.latest_for_user(user_id))
        user = await uow.users.get(user_id)
        if user is None or not user.can_sign_in:
            raise NotFound("No such user")
        profile = KycProfile(
            id=new_id(),
            user_id=user_id,
            details=details,
            status=KycStatus.SUBMITTED,
            submitted_at=now,
        )
        await uow.kyc.add(profile)
        uow.record(user_event(KYC_SUBMITTED, user, now, kyc_id=str(profile.id)))
        return profile

    async def review(
        self, uow: KycUnitOfWork, reviewer_id: UUID, kyc_id: UUID, approve: bool, reason: str
    ) -> KycProfile:
        current = await uow.kyc.get_for_update(kyc_id)
        if current is None:
            raise NotFound("No such KYC profile", field="id")
        now = self._clock.now()
        reviewed = current.reviewed(reviewer_id, approve, reason, now)
        await uow.kyc.save_review(reviewed)
        user = await uow.users.get(reviewed.user_id)
        assert user is not None
        uow.record(
            user_event(
                KYC_REVIEWED,
                user,
                now,
                kyc_id=str(reviewed.id),
                decision=reviewed.status.value,
                reviewer=str(reviewer_id),
            )
        )
        return reviewed
