from strawberry.types import Info

from adapters.audit_checkpoints import check_checkpoints
from domain.compliance.audit import AuditFilter, ChainedEntry
from domain.compliance.checkpoints import Checkpoint, CheckpointReport
from domain.compliance.service import ChainReport
from domain.compliance.service import verify_audit_chain as verify
from domain.shared.errors import DomainError
from persistence.compliance.audit_queries import AuditQueries
from persistence.compliance.repository import AuditLogRepository
from schema.errors import BadUserInput


async def verify_audit_chain(info: Info, from_seq: int, to_seq: int | None) -> ChainReport:
    async with info.context.services.session_factory() as session:
        try:
            return await verify(AuditLogRepository(session), from_seq, to_seq)
        except DomainError as error:
            raise BadUserInput(error.message) from None


async def verify_checkpoints(info: Info) -> CheckpointReport:
    services = info.context.services
    return await check_checkpoints(services.session_factory, services.checkpoint_keys)


async def audit_log(
    info: Info, criteria: AuditFilter, first: int, before_seq: int | None
) -> list[ChainedEntry]:
    """For `audit:read` (declared on the field): the whole log, redacted when written."""
    async with info.context.services.session_factory() as session:
        return await AuditQueries(session).search(criteria, first, before_seq)


async def checkpoints(info: Info, first: int, before_seq: int | None) -> list[Checkpoint]:
    async with info.context.services.session_factory() as session:
        return await AuditQueries(session).checkpoints(first, before_seq)


def signature_valid(info: Info, checkpoint: Checkpoint) -> bool:
    keys = info.context.services.checkpoint_keys
    return keys.verify(checkpoint.key_id, checkpoint.signature, checkpoint.message())
