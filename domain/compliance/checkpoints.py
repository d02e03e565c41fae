"""Signed checkpoints of the audit log's head. Whoever can rewrite the log can recompute
its hash chain, but cannot sign: a checkpoint whose hash no longer matches the chain at
its sequence number shows that history was rewritten."""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, kw_only=True)
class Checkpoint:
    seq: int
    hash: str
    signed_at: datetime
    key_id: str
    signature: bytes

    def message(self) -> bytes:
        return checkpoint_message(self.seq, self.hash, self.signed_at)


def checkpoint_message(seq: int, head_hash: str, signed_at: datetime) -> bytes:
    """What is signed: versioned, so the format can change without ambiguity."""
    return f"elcorp-audit-checkpoint:v1:{seq}:{head_hash}:{signed_at.isoformat()}".encode()


class CheckpointSigner(Protocol):
    @property
    def key_id(self) -> str: ...

    def sign(self, message: bytes) -> bytes: ...


class CheckpointVerifier(Protocol):
    def verify(self, key_id: str, signature: bytes, message: bytes) -> bool:
        """False for a bad signature or an unknown key."""


@dataclass(frozen=True)
class CheckpointFailure:
    seq: int
    reason: str


@dataclass(frozen=True)
class CheckpointReport:
    checked: int
    first_invalid: CheckpointFailure | None

    @property
    def ok(self) -> bool:
        return self.first_invalid is None


async def verify_checkpoints(
    checkpoints: Sequence[Checkpoint],
    verifier: CheckpointVerifier,
    hash_at: Callable[[int], Awaitable[str | None]],
) -> CheckpointReport:
    """Each signature must verify and each signed hash must still be the chain's hash at
    that sequence number; the first that fails is reported."""
    for checked, checkpoint in enumerate(sorted(checkpoints, key=lambda c: c.seq)):
        if not verifier.verify(checkpoint.key_id, checkpoint.signature, checkpoint.message()):
            return CheckpointReport(
                checked, CheckpointFailure(checkpoint.seq, "signature does not verify")
            )
        current = await hash_at(checkpoint.seq)
        if current is None:
            return CheckpointReport(
                checked, CheckpointFailure(checkpoint.seq, "the checkpointed entry is missing")
            )
        if current != checkpoint.hash:
            return CheckpointReport(
                checked,
                CheckpointFailure(checkpoint.seq, "the chain no longer has the checkpointed hash"),
            )
    return CheckpointReport(len(checkpoints), None)


def new_checkpoint(
    signer: CheckpointSigner, seq: int, head_hash: str, signed_at: datetime
) -> Checkpoint:
    return Checkpoint(
        seq=seq,
        hash=head_hash,
        signed_at=signed_at,
        key_id=signer.key_id,
        signature=signer.sign(checkpoint_message(seq, head_hash, signed_at)),
    )
