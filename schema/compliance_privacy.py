"""Data subject rights (GDPR, POPIA): personal-data exports and erasure requests."""

from datetime import datetime

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from domain.compliance.data_subjects import ErasureRequest as DomainErasureRequest
from domain.compliance.data_subjects import ErasureStatus
from domain.compliance.data_subjects import PersonalDataExport as DomainExport
from domain.shared.errors import DomainError
from resolvers.compliance import data_subjects
from schema.ids import to_global_id
from schema.pagination import PAGE, Connection, connection, decode_cursor, page_size
from schema.permissions import signed_in, signed_in_with
from schema.shared import UserError, to_payload

PRIVACY_EXPORT = "privacy:export"
ERASURE_APPROVE = "erasure:approve"

ErasureRequestStatus = strawberry.enum(ErasureStatus, name="ErasureRequestStatus")


@strawberry.type(description="Everything Elcorp holds about one person, a section per context.")
class PersonalDataExport:
    subject_id: strawberry.ID
    generated_at: datetime
    document: JSON = strawberry.field(
        description="`{subjectId, generatedAt, identity, payments, compliance, …}`: decrypted "
        "personal data as plain JSON; never secrets or hashes."
    )

    @classmethod
    def from_domain(cls, export: DomainExport) -> "PersonalDataExport":
        return cls(
            subject_id=to_global_id("User", export.subject_id),
            generated_at=export.generated_at,
            document=export.document,
        )


@strawberry.type(description="A person's request to have their personal data erased.")
class ErasureRequest:
    id: strawberry.ID
    subject_id: strawberry.ID
    status: ErasureRequestStatus
    reason: str = strawberry.field(description="The subject's; `[erased]` once approved.")
    requested_at: datetime
    decided_at: datetime | None
    decided_by: strawberry.ID | None
    decision_reason: str | None = strawberry.field(description="Why it was rejected.")
    erased: JSON | None = strawberry.field(
        description="Once approved: rows changed in each context, e.g. "
        '`{"identity": {"sessions_deleted": 2, …}, …}`.'
    )

    @classmethod
    def from_domain(cls, request: DomainErasureRequest) -> "ErasureRequest":
        return cls(
            id=to_global_id("ErasureRequest", request.id),
            subject_id=to_global_id("User", request.subject_id),
            status=request.status,
            reason=request.reason,
            requested_at=request.requested_at,
            decided_at=request.decided_at,
            decided_by=None
            if request.decided_by is None
            else to_global_id("User", request.decided_by),
            decision_reason=request.decision_reason,
            erased=request.erased,
        )


@strawberry.input
class RequestErasureInput:
    reason: str = strawberry.field(description="1 to 500 characters.")


@strawberry.input
class ApproveErasureInput:
    request_id: strawberry.ID


@strawberry.input
class RejectErasureInput:
    request_id: strawberry.ID
    reason: str = strawberry.field(description="1 to 500 characters, shown to the subject.")


@strawberry.type
class ErasureRequestPayload:
    request: ErasureRequest | None = None
    errors: list[UserError]


def _payload(outcome: DomainErasureRequest | DomainError) -> ErasureRequestPayload:
    return to_payload(
        ErasureRequestPayload, outcome, lambda r: {"request": ErasureRequest.from_domain(r)}
    )


@strawberry.type(name="Query")
class DataSubjectQuery:
    @strawberry.field(
        extensions=signed_in(),
        description="All your personal data, as one JSON document (audited).",
    )
    async def export_my_data(self, info: Info) -> PersonalDataExport:
        return PersonalDataExport.from_domain(await data_subjects.export_mine(info))

    @strawberry.field(
        extensions=signed_in_with([PRIVACY_EXPORT]),
        description="Compliance officers: a person's personal data, as `exportMyData` gives "
        "it to them (audited); also after erasure, to show what is left.",
    )
    async def export_subject_data(self, info: Info, user_id: strawberry.ID) -> PersonalDataExport:
        return PersonalDataExport.from_domain(await data_subjects.export_subject(info, user_id))

    @strawberry.field(
        directives=PAGE,
        extensions=signed_in_with([ERASURE_APPROVE]),
        description="Compliance officers: erasure requests, oldest first.",
    )
    async def erasure_requests(
        self,
        info: Info,
        status: ErasureRequestStatus | None = ErasureStatus.PENDING,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[ErasureRequest]:
        size = page_size(first)
        rows = await data_subjects.requests(info, status, size + 1, decode_cursor(after))
        return connection(rows, size, lambda row: row.id, ErasureRequest.from_domain)


@strawberry.type(name="Mutation")
class DataSubjectMutation:
    @strawberry.mutation(
        extensions=signed_in(),
        description="Asks for your personal data to be erased; a compliance officer decides. "
        "One request may wait at a time (`CONFLICT`).",
    )
    async def request_erasure(
        self, info: Info, input: RequestErasureInput
    ) -> ErasureRequestPayload:
        return _payload(await data_subjects.request_erasure(info, input.reason))

    @strawberry.mutation(
        extensions=signed_in_with([ERASURE_APPROVE]),
        description="Erases the subject at once and for good, in every context: their data "
        "key is destroyed, identifying text tombstoned, sign-in ended. Ledger and audit stay. "
        "Never your own request (`FORBIDDEN`); only a pending one (`INVALID_STATE`).",
    )
    async def approve_erasure(
        self, info: Info, input: ApproveErasureInput
    ) -> ErasureRequestPayload:
        return _payload(await data_subjects.approve(info, input.request_id))

    @strawberry.mutation(
        extensions=signed_in_with([ERASURE_APPROVE]),
        description="Declines a pending request with a reason; nothing is erased.",
    )
    async def reject_erasure(self, info: Info, input: RejectErasureInput) -> ErasureRequestPayload:
        return _payload(await data_subjects.reject(info, input.request_id, input.reason))
