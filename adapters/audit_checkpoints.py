"""The scheduled job that signs the audit log's head, and the check of every checkpoint."""

from datetime import datetime

from domain.compliance.checkpoints import (
    CheckpointReport,
    CheckpointSigner,
    CheckpointVerifier,
    new_checkpoint,
    verify_checkpoints,
)
from persistence.compliance.audit_queries import AuditQueries
from persistence.compliance.repository import AuditLogRepository
from persistence.db import SessionFactory


class AuditCheckpointJob:
    """Signs the head when it moved since the last checkpoint."""

    def __init__(self, session_factory: SessionFactory, signer: CheckpointSigner) -> None:
        self._session_factory = session_factory
        self._signer = signer

    async def __call__(self, now: datetime) -> dict[str, int]:
        async with self._session_factory() as session, session.begin():
            queries = AuditQueries(session)
            head, last = await queries.head(), await queries.last_checkpoint()
            if head is None or (last is not None and last.seq >= head[0]):
                return {"written": 0}
            seq, head_hash = head
            await queries.add_checkpoint(new_checkpoint(self._signer, seq, head_hash, now))
        return {"written": 1, "seq": seq}


async def check_checkpoints(
    session_factory: SessionFactory, verifier: CheckpointVerifier
) -> CheckpointReport:
    async with session_factory() as session:
        checkpoints = await AuditQueries(session).checkpoints()
        return await verify_checkpoints(checkpoints, verifier, AuditLogRepository(session).hash_at)
