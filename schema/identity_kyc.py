"""KYC: customers submit, verifiers review; the tier's limits are what payments enforce."""

from datetime import date, datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from domain.identity.kyc import TIER_LIMITS
from domain.identity.kyc import KycProfile as DomainKyc
from domain.identity.kyc import KycStatus as DomainKycStatus
from domain.identity.kyc import KycTier as DomainKycTier
from domain.shared.errors import DomainError
from resolvers.identity import kyc
from schema.ids import to_global_id
from schema.nodes import node_type
from schema.pagination import PAGE, Connection, connection, decode_cursor, page_size
from schema.permissions import requires_scopes, signed_in
from schema.shared import Money, Node, UserError, to_payload

KycStatus = strawberry.enum(DomainKycStatus, name="KycStatus")
KycTier = strawberry.enum(DomainKycTier, name="KycTier")


@strawberry.enum
class KycDecision(Enum):
    APPROVE = "approve"
    REJECT = "reject"


@strawberry.type(description="What a tier may hold and send per day.")
class KycLimits:
    max_balance: Money
    daily_outflow: Money
    per_transaction: Money


@strawberry.type(description="Identifying details; only reviewers (`kyc:review`) see them whole.")
class KycDetails:
    national_id: str
    phone: str
    date_of_birth: date


@node_type
@strawberry.type(description="A KYC submission and its review.")
class KycProfile(Node):
    id: strawberry.ID
    status: KycStatus
    tier: KycTier
    submitted_at: datetime
    reviewed_at: datetime | None
    reason: str | None
    national_id_masked: str
    profile: strawberry.Private[DomainKyc]

    @strawberry.field(extensions=requires_scopes(["kyc:review"]), description="For reviewers only.")
    def details(self) -> KycDetails:
        details = self.profile.details
        return KycDetails(
            national_id=details.national_id,
            phone=details.phone,
            date_of_birth=details.date_of_birth,
        )

    @classmethod
    def from_domain(cls, profile: DomainKyc) -> "KycProfile":
        return cls(
            id=to_global_id("KycProfile", profile.id),
            status=profile.status,
            tier=profile.tier,
            submitted_at=profile.submitted_at,
            reviewed_at=profile.reviewed_at,
            reason=profile.reason,
            national_id_masked=_masked(profile.details.national_id),
            profile=profile,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "KycProfile | None":
        profile = await kyc.visible(info, id)
        return None if profile is None else cls.from_domain(profile)


def _masked(national_id: str) -> str:
    """The last four digits; an erased one stays the tombstone it is."""
    return "*" * 7 + national_id[-4:] if national_id.isdigit() else national_id


def limits_for(tier: DomainKycTier) -> KycLimits:
    limits = TIER_LIMITS[tier]
    return KycLimits(
        max_balance=Money.from_domain(limits.max_balance),
        daily_outflow=Money.from_domain(limits.daily_outflow),
        per_transaction=Money.from_domain(limits.per_transaction),
    )


@strawberry.input
class SubmitKycInput:
    national_id: str
    phone: str
    date_of_birth: date


@strawberry.input
class ReviewKycInput:
    id: strawberry.ID
    decision: KycDecision
    reason: str


@strawberry.type
class KycPayload:
    kyc: KycProfile | None = None
    errors: list[UserError]


def _payload(outcome: DomainKyc | DomainError) -> KycPayload:
    return to_payload(KycPayload, outcome, lambda k: {"kyc": KycProfile.from_domain(k)})


@strawberry.type(name="Mutation")
class KycMutation:
    @strawberry.mutation(extensions=signed_in(), description="Submits your KYC profile.")
    async def submit_kyc(self, info: Info, input: SubmitKycInput) -> KycPayload:
        return _payload(await kyc.submit(info, input.national_id, input.phone, input.date_of_birth))

    @strawberry.mutation(extensions=requires_scopes(["kyc:review"]))
    async def review_kyc(self, info: Info, input: ReviewKycInput) -> KycPayload:
        approve = input.decision is KycDecision.APPROVE
        return _payload(await kyc.review(info, input.id, approve, input.reason))


@strawberry.type(name="Query")
class KycQuery:
    @strawberry.field(
        directives=PAGE,
        extensions=requires_scopes(["kyc:review"]),
        description="Reviewers' queue, oldest first.",
    )
    async def kyc_queue(
        self,
        info: Info,
        status: KycStatus = DomainKycStatus.SUBMITTED,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[KycProfile]:
        size = page_size(first)
        rows = await kyc.queue(info, status, size + 1, decode_cursor(after))
        return connection(rows, size, lambda row: row.id, KycProfile.from_domain)
