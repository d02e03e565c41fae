"""The audit log's rules: what an entry holds, how it is redacted and chained."""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64
REDACTED = "[REDACTED]"
SENSITIVE_KEY_PARTS = (
    "password",
    "secret",
    "token",
    "otp",
    "totp",
    "backup_code",
    "api_key",
    "national_id",
    "pin",
    "cvv",
    "card_number",
    "private_key",
)


@dataclass(frozen=True, kw_only=True)
class AuditEntry:
    seq: int
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    changes: Mapping[str, Any]
    request_id: str | None
    ip: str | None

    def canonical_json(self) -> str:
        body = {
            "seq": self.seq,
            "occurred_at": self.occurred_at.isoformat(timespec="microseconds"),
            "actor": self.actor,
            "action": self.action,
            "entity_type": self.entity_type,
            "entity_id": self.entity_id,
            "changes": self.changes,
            "request_id": self.request_id,
            "ip": self.ip,
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class AuditFilter:
    """What auditors narrow the log by; every criterion given must hold."""

    entity_type: str | None = None
    entity_id: str | None = None
    actor: str | None = None
    action: str | None = None
    occurred_from: datetime | None = None
    occurred_before: datetime | None = None


@dataclass(frozen=True)
class ChainedEntry:
    entry: AuditEntry
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def chain_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256(f"{prev_hash}\n{entry.canonical_json()}".encode()).hexdigest()


def redact(value: Any) -> Any:
    """Replaces the values of sensitive keys, at any depth, before they are stored."""
    if isinstance(value, Mapping):
        return {
            str(key): REDACTED if is_sensitive_key(str(key)) else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    return value


def is_sensitive_key(key: str) -> bool:
    lowered = key.lower()
    return any(part in lowered for part in SENSITIVE_KEY_PARTS)


class ChainVerifier:
    """Checks entries in sequence order; the first wrong one is the break."""

    def __init__(self, *, prev_hash: str, first_seq: int) -> None:
        self._prev_hash = prev_hash
        self._expected_seq = first_seq

    @property
    def next_seq(self) -> int:
        return self._expected_seq

    def check(self, chained: ChainedEntry) -> ChainBreak | None:
        seq = chained.entry.seq
        if seq != self._expected_seq:
            return ChainBreak(self._expected_seq, f"entry {self._expected_seq} is missing")
        if chained.prev_hash != self._prev_hash:
            return ChainBreak(seq, "previous-hash link does not match the preceding entry")
        if chain_hash(self._prev_hash, chained.entry) != chained.hash:
            return ChainBreak(seq, "content does not match its hash")
        self._prev_hash = chained.hash
        self._expected_seq += 1
        return None


def find_chain_break(
    entries: Iterable[ChainedEntry], *, prev_hash: str, first_seq: int
) -> ChainBreak | None:
    verifier = ChainVerifier(prev_hash=prev_hash, first_seq=first_seq)
    for chained in entries:
        if (found := verifier.check(chained)) is not None:
            return found
    return None
