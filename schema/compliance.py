"""Compliance subgraph: the audit log, its integrity and its signed checkpoints."""

from datetime import datetime

import strawberry
from strawberry.scalars import JSON
from strawberry.tools import merge_types
from strawberry.types import Info

from domain.compliance.audit import AuditFilter, ChainedEntry
from domain.compliance.checkpoints import Checkpoint
from resolvers.compliance import queries
from schema.compliance_incident_alerts import IncidentSubscription
from schema.compliance_incidents import IncidentMutation, IncidentQuery
from schema.compliance_incidents import User as UserStub
from schema.compliance_privacy import DataSubjectMutation, DataSubjectQuery
from schema.compliance_reports import ReportQuery
from schema.errors import BadUserInput
from schema.pagination import (
    PAGE,
    Connection,
    connection,
    decode_position,
    encode_position,
    page_size,
)
from schema.permissions import requires_scopes

AUDIT_READ = "audit:read"


@strawberry.type(description="The first entry whose hash or link does not verify.")
class AuditChainBreak:
    seq: int
    reason: str


@strawberry.type(description="The first checkpoint that no longer holds.")
class CheckpointFailure:
    seq: int
    reason: str


@strawberry.type(description="Every signed checkpoint, checked against the chain as it is now.")
class CheckpointVerification:
    ok: bool
    checked: int
    first_invalid: CheckpointFailure | None


@strawberry.type(description="The outcome of recomputing the audit log's hash chain.")
class AuditChainVerification:
    ok: bool
    from_seq: int
    to_seq: int
    checked: int
    first_broken: AuditChainBreak | None

    @strawberry.field(description="Signed checkpoints: a rewritten history fails them.")
    async def checkpoints(self, info: Info) -> CheckpointVerification:
        report = await queries.verify_checkpoints(info)
        failed = report.first_invalid
        return CheckpointVerification(
            ok=report.ok,
            checked=report.checked,
            first_invalid=None
            if failed is None
            else CheckpointFailure(seq=failed.seq, reason=failed.reason),
        )


@strawberry.type(description="One state-changing command, as the audit log recorded it.")
class AuditEntry:
    seq: int
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    changes: JSON = strawberry.field(description="Redacted before it was written.")
    request_id: str | None
    ip: str | None
    prev_hash: str
    hash: str

    @classmethod
    def from_domain(cls, chained: ChainedEntry) -> "AuditEntry":
        entry = chained.entry
        return cls(
            seq=entry.seq,
            occurred_at=entry.occurred_at,
            actor=entry.actor,
            action=entry.action,
            entity_type=entry.entity_type,
            entity_id=entry.entity_id,
            changes=dict(entry.changes),
            request_id=entry.request_id,
            ip=entry.ip,
            prev_hash=chained.prev_hash,
            hash=chained.hash,
        )


@strawberry.type(description="The audit log's head, signed (Ed25519) at a moment.")
class AuditCheckpoint:
    seq: int
    hash: str
    signed_at: datetime
    key_id: str
    signature: str = strawberry.field(description="Hex.")
    record: strawberry.Private[Checkpoint]

    @strawberry.field(description="Whether the signature verifies with a configured key.")
    def signature_valid(self, info: Info) -> bool:
        return queries.signature_valid(info, self.record)

    @classmethod
    def from_domain(cls, checkpoint: Checkpoint) -> "AuditCheckpoint":
        return cls(
            seq=checkpoint.seq,
            hash=checkpoint.hash,
            signed_at=checkpoint.signed_at,
            key_id=checkpoint.key_id,
            signature=checkpoint.signature.hex(),
            record=checkpoint,
        )


@strawberry.input(description="Every criterion given must hold.")
class AuditLogFilter:
    entity_type: str | None = None
    entity_id: str | None = None
    actor: str | None = strawberry.field(default=None, description='E.g. "user:<uuid>".')
    action: str | None = strawberry.field(
        default=None, description='E.g. "payments.transaction_recorded".'
    )
    occurred_from: datetime | None = strawberry.field(default=None, description="Inclusive.")
    occurred_before: datetime | None = strawberry.field(default=None, description="Exclusive.")

    def to_domain(self) -> AuditFilter:
        for at in (self.occurred_from, self.occurred_before):
            if at is not None and at.utcoffset() is None:
                raise BadUserInput("Times need a UTC offset", field="filter")
        return AuditFilter(
            entity_type=self.entity_type,
            entity_id=self.entity_id,
            actor=self.actor,
            action=self.action,
            occurred_from=self.occurred_from,
            occurred_before=self.occurred_before,
        )


@strawberry.type(name="Query")
class ComplianceQuery:
    @strawberry.field(extensions=requires_scopes([AUDIT_READ]))
    async def verify_audit_chain(
        self, info: Info, from_seq: int = 1, to_seq: int | None = None
    ) -> AuditChainVerification:
        report = await queries.verify_audit_chain(info, from_seq, to_seq)
        broken = report.first_break
        return AuditChainVerification(
            ok=report.ok,
            from_seq=report.from_seq,
            to_seq=report.to_seq,
            checked=report.checked,
            first_broken=None
            if broken is None
            else AuditChainBreak(seq=broken.seq, reason=broken.reason),
        )

    @strawberry.field(
        directives=PAGE, extensions=requires_scopes([AUDIT_READ]), description="Newest first."
    )
    async def audit_log(
        self,
        info: Info,
        filter: AuditLogFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[AuditEntry]:
        size = page_size(first)
        criteria = (filter or AuditLogFilter()).to_domain()
        rows = await queries.audit_log(info, criteria, size + 1, decode_position("audit", after))
        return connection(
            rows,
            size,
            lambda row: row.entry.seq,
            AuditEntry.from_domain,
            lambda seq: encode_position("audit", seq),
        )

    @strawberry.field(
        directives=PAGE, extensions=requires_scopes([AUDIT_READ]), description="Newest first."
    )
    async def audit_checkpoints(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[AuditCheckpoint]:
        size = page_size(first)
        rows = await queries.checkpoints(info, size + 1, decode_position("checkpoint", after))
        return connection(
            rows,
            size,
            lambda row: row.seq,
            AuditCheckpoint.from_domain,
            lambda seq: encode_position("checkpoint", seq),
        )


# Each part of the context adds its root types here.
QUERIES: tuple[type, ...] = (ComplianceQuery, IncidentQuery, ReportQuery, DataSubjectQuery)
MUTATIONS: tuple[type, ...] = (IncidentMutation, DataSubjectMutation)
SUBSCRIPTIONS: tuple[type, ...] = (IncidentSubscription,)

QUERY = merge_types("Query", QUERIES)
MUTATION = merge_types("Mutation", MUTATIONS) if MUTATIONS else None
SUBSCRIPTION = merge_types("Subscription", SUBSCRIPTIONS) if SUBSCRIPTIONS else None
TYPES: list[type] = [UserStub]
OWNED_ENTITIES: list[type] = []
