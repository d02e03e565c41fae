from dataclasses import dataclass

from domain.compliance.audit import ChainBreak, ChainVerifier
from domain.compliance.ports import AuditLogReader
from domain.shared.errors import DomainError


@dataclass(frozen=True)
class ChainReport:
    from_seq: int
    to_seq: int
    checked: int
    first_break: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


async def verify_audit_chain(
    reader: AuditLogReader, from_seq: int = 1, to_seq: int | None = None
) -> ChainReport:
    """Verifies entries from_seq..to_seq (inclusive; to_seq defaults to the head)."""
    last = await reader.last_seq()
    to_seq = last if to_seq is None else to_seq
    if from_seq < 1 or to_seq < from_seq - 1:
        raise DomainError("fromSeq must be at least 1 and not after toSeq", field="fromSeq")
    if to_seq > last:
        return ChainReport(
            from_seq, to_seq, 0, ChainBreak(last + 1, f"entry {last + 1} is missing")
        )
    prev_hash = await reader.hash_at(from_seq - 1)
    if prev_hash is None:
        return ChainReport(from_seq, to_seq, 0, ChainBreak(from_seq - 1, "entry is missing"))
    verifier = ChainVerifier(prev_hash=prev_hash, first_seq=from_seq)
    async for chained in reader.stream(from_seq, to_seq):
        if (found := verifier.check(chained)) is not None:
            return ChainReport(from_seq, to_seq, verifier.next_seq - from_seq, found)
    if verifier.next_seq <= to_seq:
        missing = verifier.next_seq
        return ChainReport(
            from_seq, to_seq, missing - from_seq, ChainBreak(missing, f"entry {missing} is missing")
        )
    return ChainReport(from_seq, to_seq, to_seq - from_seq + 1, None)
