"""Compliance subgraph: the audit log's integrity."""

import strawberry
from strawberry.types import Info

from resolvers.compliance import queries
from schema.permissions import requires_scopes


@strawberry.type(description="The first entry whose hash or link does not verify.")
class AuditChainBreak:
    seq: int
    reason: str


@strawberry.type(description="The outcome of recomputing the audit log's hash chain.")
class AuditChainVerification:
    ok: bool
    from_seq: int
    to_seq: int
    checked: int
    first_broken: AuditChainBreak | None


@strawberry.type(name="Query")
class ComplianceQuery:
    @strawberry.field(extensions=requires_scopes(["audit:read"]))
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


QUERY = ComplianceQuery
MUTATION = None
SUBSCRIPTION = None
TYPES: list[type] = []
OWNED_ENTITIES: list[type] = []
