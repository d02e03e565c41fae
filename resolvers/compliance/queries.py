from strawberry.types import Info

from domain.compliance.service import ChainReport
from domain.compliance.service import verify_audit_chain as verify
from domain.shared.errors import DomainError
from persistence.compliance.repository import AuditLogRepository
from schema.errors import BadUserInput


async def verify_audit_chain(info: Info, from_seq: int, to_seq: int | None) -> ChainReport:
    async with info.context.services.session_factory() as session:
        try:
            return await verify(AuditLogRepository(session), from_seq, to_seq)
        except DomainError as error:
            raise BadUserInput(error.message) from None
