"""Know-your-customer: a customer submits a profile, a verifier (never the customer
themselves) approves or rejects it with a reason; the tier sets payment limits."""

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from domain.shared.errors import DomainError, ErrorCode, Forbidden
from domain.shared.money import Currency, Money

PHONE = re.compile(r"^\+[1-9]\d{7,14}$")
NAMIBIAN_ID = re.compile(r"^\d{11}$")
ADULT_YEARS = 18
MAX_REASON = 500

KYC_SUBMITTED = "identity.kyc_submitted"
KYC_REVIEWED = "identity.kyc_reviewed"


class KycStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class KycTier(StrEnum):
    UNVERIFIED = "unverified"
    VERIFIED = "verified"


@dataclass(frozen=True)
class Limits:
    max_balance: Money
    daily_outflow: Money
    per_transaction: Money


TIER_LIMITS = {
    KycTier.UNVERIFIED: Limits(
        Money(5_000_00, Currency.NAD), Money(2_000_00, Currency.NAD), Money(1_000_00, Currency.NAD)
    ),
    KycTier.VERIFIED: Limits(
        Money(500_000_00, Currency.NAD),
        Money(100_000_00, Currency.NAD),
        Money(50_000_00, Currency.NAD),
    ),
}


class KycNotAllowed(DomainError):
    code = ErrorCode.CONFLICT


@dataclass(frozen=True, kw_only=True)
class KycDetails:
    national_id: str
    phone: str
    date_of_birth: date

    @classmethod
    def checked(
        cls, national_id: str, phone: str, date_of_birth: date, today: date
    ) -> "KycDetails":
        clean_id = national_id.replace(" ", "")
        clean_phone = phone.replace(" ", "")
        if not NAMIBIAN_ID.match(clean_id):
            raise DomainError("A Namibian ID number has 11 digits", field="nationalId")
        if not PHONE.match(clean_phone):
            raise DomainError(
                "Give the phone number in E.164 form, e.g. +264811234567", field="phone"
            )
        age = (
            today.year
            - date_of_birth.year
            - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))
        )
        if date_of_birth >= today or age < ADULT_YEARS:
            raise DomainError(f"Customers must be at least {ADULT_YEARS}", field="dateOfBirth")
        return cls(national_id=clean_id, phone=clean_phone, date_of_birth=date_of_birth)


@dataclass(frozen=True, kw_only=True)
class KycProfile:
    id: UUID
    user_id: UUID
    details: KycDetails
    status: KycStatus
    submitted_at: datetime
    reviewed_at: datetime | None = None
    reviewer_id: UUID | None = None
    reason: str | None = None

    @property
    def tier(self) -> KycTier:
        return KycTier.VERIFIED if self.status is KycStatus.APPROVED else KycTier.UNVERIFIED

    def reviewed(self, reviewer_id: UUID, approve: bool, reason: str, at: datetime) -> "KycProfile":
        if self.status is not KycStatus.SUBMITTED:
            raise KycNotAllowed("This profile was already reviewed", field="id")
        if reviewer_id == self.user_id:
            raise Forbidden("Nobody reviews their own profile", field="id")
        clean = " ".join(reason.split())
        if not clean or len(clean) > MAX_REASON:
            raise DomainError(f"Give a reason of 1 to {MAX_REASON} characters", field="reason")
        status = KycStatus.APPROVED if approve else KycStatus.REJECTED
        return replace(self, status=status, reviewed_at=at, reviewer_id=reviewer_id, reason=clean)


def ensure_can_submit(current: KycProfile | None) -> None:
    if current is not None and current.status is not KycStatus.REJECTED:
        raise KycNotAllowed(
            "A profile is already under review"
            if current.status is KycStatus.SUBMITTED
            else "Your profile is already approved"
        )
