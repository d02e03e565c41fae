"""The audit chain's rules, without a database."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.compliance.audit import (
    GENESIS_HASH,
    REDACTED,
    AuditEntry,
    ChainedEntry,
    chain_hash,
    find_chain_break,
    redact,
)

AT = datetime(2026, 11, 25, 8, 30, 15, 123456, tzinfo=UTC)


def entry(seq: int, **overrides: object) -> AuditEntry:
    values: dict[str, object] = {
        "seq": seq,
        "occurred_at": AT,
        "actor": "user:1",
        "action": "identity.profile_updated",
        "entity_type": "User",
        "entity_id": "1",
        "changes": {"full_name": {"from": "A", "to": "B"}},
        "request_id": "req-1",
        "ip": "127.0.0.1",
    }
    values.update(overrides)
    return AuditEntry(**values)  # type: ignore[arg-type]


def chain(length: int) -> list[ChainedEntry]:
    chained, prev = [], GENESIS_HASH
    for seq in range(1, length + 1):
        item = entry(seq, entity_id=str(seq))
        digest = chain_hash(prev, item)
        chained.append(ChainedEntry(item, prev, digest))
        prev = digest
    return chained


def test_canonical_json_is_sorted_compact_and_keeps_unicode() -> None:
    text = entry(1, actor="user:Ndapewa Ōmbili").canonical_json()

    assert text.startswith('{"action":"identity.profile_updated","actor":"user:Ndapewa Ōmbili"')
    assert '"occurred_at":"2026-11-25T08:30:15.123456+00:00"' in text
    assert ", " not in text


def test_the_hash_covers_the_previous_hash_and_every_field() -> None:
    base = chain_hash(GENESIS_HASH, entry(1))

    assert base != chain_hash("f" * 64, entry(1))
    assert base != chain_hash(GENESIS_HASH, entry(1, ip="10.0.0.1"))
    assert base == chain_hash(GENESIS_HASH, entry(1))
    assert len(base) == 64


def test_an_intact_chain_verifies() -> None:
    assert find_chain_break(chain(5), prev_hash=GENESIS_HASH, first_seq=1) is None


@given(
    length=st.integers(min_value=1, max_value=8),
    data=st.data(),
    field=st.sampled_from(["actor", "action", "entity_type", "entity_id", "request_id", "ip"]),
)
def test_tampering_with_any_field_of_any_entry_is_found_at_that_entry(
    length: int, data: st.DataObject, field: str
) -> None:
    entries = chain(length)
    target = data.draw(st.integers(min_value=0, max_value=length - 1))
    tampered = replace(entries[target].entry, **{field: "forged"})
    entries[target] = replace(entries[target], entry=tampered)

    found = find_chain_break(entries, prev_hash=GENESIS_HASH, first_seq=1)

    assert found is not None
    assert found.seq == target + 1
    assert found.reason == "content does not match its hash"


def test_a_rehashed_forgery_breaks_the_next_link() -> None:
    entries = chain(3)
    forged = replace(entries[1].entry, actor="mallory")
    entries[1] = ChainedEntry(
        forged, entries[1].prev_hash, chain_hash(entries[1].prev_hash, forged)
    )

    found = find_chain_break(entries, prev_hash=GENESIS_HASH, first_seq=1)

    assert found is not None
    assert (found.seq, found.reason) == (3, "previous-hash link does not match the preceding entry")


def test_a_missing_entry_is_named() -> None:
    entries = chain(4)
    del entries[2]

    found = find_chain_break(entries, prev_hash=GENESIS_HASH, first_seq=1)

    assert found is not None
    assert (found.seq, found.reason) == (3, "entry 3 is missing")


sensitive_keys = st.sampled_from(
    ["password", "newPassword", "refresh_token", "totp_secret", "api_key", "national_id", "pin"]
)
plain_keys = st.sampled_from(["city", "full_name", "amount_minor", "status"])
json_leaves = st.one_of(st.integers(), st.text(max_size=10), st.booleans(), st.none())


@given(
    secret=st.text(min_size=12, max_size=20, alphabet="xyz0123456789"),
    key=sensitive_keys,
    outer=plain_keys,
    depth=st.integers(min_value=0, max_value=3),
)
def test_redaction_never_leaks_a_sensitive_value_at_any_depth(
    secret: str, key: str, outer: str, depth: int
) -> None:
    value: object = {key: secret, "city": "Windhoek"}
    for _ in range(depth):
        value = {outer: [value]}

    redacted = repr(redact(value))

    assert secret not in redacted
    assert REDACTED in redacted
    assert "Windhoek" in redacted


@pytest.mark.parametrize("value", [1, "text", None, True])
def test_redaction_keeps_plain_values(value: object) -> None:
    assert redact({"status": value}) == {"status": value}
