"""The audit chain's rules, without a database."""

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domain.compliance.audit import (
    GENESIS_HASH,
    REDACTED,
    SENSITIVE_KEY_PARTS,
    AuditEntry,
    ChainBreak,
    ChainedEntry,
    ChainVerifier,
    chain_hash,
    find_chain_break,
    is_sensitive_key,
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


# --- canonical form ----------------------------------------------------------


def test_canonical_json_writes_missing_request_data_as_null() -> None:
    text = entry(1, request_id=None, ip=None).canonical_json()

    assert '"ip":null' in text
    assert '"request_id":null' in text


def test_the_hash_does_not_depend_on_the_order_changes_were_written_in() -> None:
    one = entry(1, changes={"b": 1, "a": {"y": 2, "x": 3}})
    other = entry(1, changes={"a": {"x": 3, "y": 2}, "b": 1})

    assert one.canonical_json() == other.canonical_json()
    assert chain_hash(GENESIS_HASH, one) == chain_hash(GENESIS_HASH, other)
    assert '"changes":{"a":{"x":3,"y":2},"b":1}' in one.canonical_json()


def test_the_hash_is_sha256_of_the_previous_hash_and_the_canonical_json() -> None:
    item = entry(7)

    expected = hashlib.sha256(f"{'a' * 64}\n{item.canonical_json()}".encode()).hexdigest()

    assert chain_hash("a" * 64, item) == expected


# --- verifier ----------------------------------------------------------------


def test_nothing_to_check_is_no_break() -> None:
    assert find_chain_break([], prev_hash=GENESIS_HASH, first_seq=1) is None


def test_a_verifier_can_start_in_the_middle_of_the_chain() -> None:
    entries = chain(5)
    verifier = ChainVerifier(prev_hash=entries[1].hash, first_seq=3)

    results = [verifier.check(item) for item in entries[2:]]

    assert results == [None, None, None]
    assert verifier.next_seq == 6


def test_a_wrong_starting_hash_breaks_the_first_link() -> None:
    verifier = ChainVerifier(prev_hash="f" * 64, first_seq=1)

    found = verifier.check(chain(1)[0])

    assert found == ChainBreak(1, "previous-hash link does not match the preceding entry")
    assert verifier.next_seq == 1


def test_a_break_does_not_advance_the_verifier() -> None:
    entries = chain(2)
    verifier = ChainVerifier(prev_hash=GENESIS_HASH, first_seq=1)
    forged = replace(entries[0], hash="0" * 64)

    assert verifier.check(forged) == ChainBreak(1, "content does not match its hash")
    assert verifier.next_seq == 1
    assert verifier.check(entries[0]) is None
    assert verifier.check(entries[1]) is None
    assert verifier.next_seq == 3


texts = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
content_fields: dict[str, st.SearchStrategy[object]] = {
    "occurred_at": st.datetimes(timezones=st.just(UTC)),
    "actor": texts,
    "action": texts,
    "entity_type": texts,
    "entity_id": texts,
    "changes": st.dictionaries(texts, json_values, max_size=3),
    "request_id": st.none() | texts,
    "ip": st.none() | texts,
}
contents = st.fixed_dictionaries(content_fields)
field_values = {**content_fields, "seq": st.integers(min_value=-5, max_value=50)}
hashes = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)


def build_chain(bodies: list[dict[str, object]]) -> list[ChainedEntry]:
    chained, prev = [], GENESIS_HASH
    for seq, body in enumerate(bodies, start=1):
        item = AuditEntry(seq=seq, **body)  # type: ignore[arg-type]
        digest = chain_hash(prev, item)
        chained.append(ChainedEntry(item, prev, digest))
        prev = digest
    return chained


@given(bodies=st.lists(contents, min_size=1, max_size=6), data=st.data())
def test_any_single_field_tamper_in_a_generated_chain_is_found_at_its_seq(
    bodies: list[dict[str, object]], data: st.DataObject
) -> None:
    entries = build_chain(bodies)
    assert find_chain_break(entries, prev_hash=GENESIS_HASH, first_seq=1) is None
    target = data.draw(st.integers(min_value=0, max_value=len(entries) - 1), label="target")
    original = entries[target]
    field = data.draw(st.sampled_from([*field_values, "prev_hash", "hash"]), label="field")

    if field in ("prev_hash", "hash"):
        forged = data.draw(hashes.filter(lambda h: h != getattr(original, field)))
        entries[target] = replace(original, **{field: forged})
    else:
        value = data.draw(field_values[field], label="value")
        assume(value != getattr(original.entry, field))
        entries[target] = replace(original, entry=replace(original.entry, **{field: value}))

    found = find_chain_break(entries, prev_hash=GENESIS_HASH, first_seq=1)

    assert found is not None
    assert found.seq == original.entry.seq


# --- redaction ---------------------------------------------------------------


def case_mixed(draw: st.DrawFn, word: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.upper() if flip else c for c, flip in zip(word, flips, strict=True))


@st.composite
def sensitive_key(draw: st.DrawFn) -> str:
    part = draw(st.sampled_from(SENSITIVE_KEY_PARTS))
    affix = st.sampled_from(["", "new_", "old", "x-", "_hash", "Confirmation", "s"])
    return draw(affix) + case_mixed(draw, part) + draw(affix)


noise_leaves = st.none() | st.booleans() | st.integers() | st.text(alphabet="abc ", max_size=6)
noise = st.recursive(
    noise_leaves,
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(plain_keys, inner, max_size=2),
    max_leaves=4,
)


@st.composite
def planted(draw: st.DrawFn) -> tuple[object, list[object], str]:
    """A structure with a secret under a sensitive key somewhere; the path to that key."""
    secret = f"S3CR3T-{draw(st.uuids()).hex}"
    hidden = draw(st.sampled_from([secret, {"inner": secret}, [secret], (0, secret)]))
    key = draw(sensitive_key())
    value: object = {**draw(st.dictionaries(plain_keys, noise, max_size=2)), key: hidden}
    path: list[object] = [key]
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        if draw(st.booleans()):
            outer = draw(plain_keys)
            value = {**draw(st.dictionaries(plain_keys, noise, max_size=2)), outer: value}
            path.insert(0, outer)
        else:
            before = draw(st.lists(noise, max_size=2))
            after = draw(st.lists(noise, max_size=2))
            kind = draw(st.sampled_from([list, tuple]))
            value = kind([*before, value, *after])
            path.insert(0, len(before))
    return value, path, secret


@given(case=planted())
def test_redaction_never_leaks_a_value_under_a_sensitive_key_at_any_depth(
    case: tuple[object, list[object], str],
) -> None:
    value, path, secret = case

    redacted = redact(value)

    assert secret not in repr(redacted)
    reached = redacted
    for step in path:
        reached = reached[step]  # type: ignore[index]
    assert reached == REDACTED


@given(value=noise)
def test_redaction_leaves_data_without_sensitive_keys_alone(value: object) -> None:
    assert redact(value) == value


def test_redaction_turns_tuples_into_lists_and_keys_into_strings() -> None:
    assert redact({1: ("a", {"PIN": 1234})}) == {"1": ["a", {"PIN": REDACTED}]}


def test_redaction_replaces_a_whole_structure_under_a_sensitive_key() -> None:
    assert redact({"backup_codes": ["a", "b"], "kept": 1}) == {"backup_codes": REDACTED, "kept": 1}


@pytest.mark.parametrize(
    ("key", "sensitive"),
    [
        ("newPassword", True),
        ("REFRESH_TOKEN", True),
        ("totp_secret", True),
        ("Api_Key", True),
        ("card_number", True),
        ("private_key_pem", True),
        ("full_name", False),
        ("amount_minor", False),
        ("key_id", False),
        ("one_time_id", False),
    ],
)
def test_sensitive_keys_are_recognized_case_insensitively(key: str, sensitive: bool) -> None:
    assert is_sensitive_key(key) is sensitive
