"""verify_audit_chain over a range, with an in-memory reader."""

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from domain.compliance.audit import GENESIS_HASH, ChainBreak, ChainedEntry
from domain.compliance.service import verify_audit_chain
from domain.shared.errors import DomainError, ErrorCode
from tests.unit.compliance.test_audit_chain import chain


class InMemoryAuditLog:
    def __init__(self, entries: list[ChainedEntry]) -> None:
        self.entries = {item.entry.seq: item for item in entries}

    async def last_seq(self) -> int:
        return max(self.entries, default=0)

    async def hash_at(self, seq: int) -> str | None:
        if seq == 0:
            return GENESIS_HASH
        found = self.entries.get(seq)
        return None if found is None else found.hash

    async def stream(self, from_seq: int, to_seq: int) -> AsyncIterator[ChainedEntry]:
        for seq in sorted(self.entries):
            if from_seq <= seq <= to_seq:
                yield self.entries[seq]


async def test_the_whole_log_verifies_by_default() -> None:
    report = await verify_audit_chain(InMemoryAuditLog(chain(5)))

    assert (report.ok, report.from_seq, report.to_seq, report.checked) == (True, 1, 5, 5)


async def test_a_range_starts_from_the_stored_hash_before_it() -> None:
    report = await verify_audit_chain(InMemoryAuditLog(chain(6)), 3, 5)

    assert (report.ok, report.checked) == (True, 3)


async def test_an_empty_log_verifies() -> None:
    report = await verify_audit_chain(InMemoryAuditLog([]))

    assert report.ok
    assert report.checked == 0


async def test_a_range_past_the_head_names_the_first_missing_entry() -> None:
    report = await verify_audit_chain(InMemoryAuditLog(chain(3)), 1, 5)

    assert report.first_break is not None
    assert report.first_break.seq == 4


async def test_a_missing_predecessor_of_the_range_is_reported() -> None:
    log = InMemoryAuditLog(chain(5))
    del log.entries[2]

    report = await verify_audit_chain(log, 3, 5)

    assert report.first_break is not None
    assert report.first_break.seq == 2


async def test_a_truncated_tail_is_reported() -> None:
    class Truncating(InMemoryAuditLog):
        async def stream(self, from_seq: int, to_seq: int) -> AsyncIterator[ChainedEntry]:
            async for item in super().stream(from_seq, to_seq - 1):
                yield item

    report = await verify_audit_chain(Truncating(chain(4)), 1, 4)

    assert report.first_break is not None
    assert (report.first_break.seq, report.checked) == (4, 3)


@pytest.mark.parametrize(("from_seq", "to_seq"), [(0, 3), (5, 2)])
async def test_an_impossible_range_is_refused(from_seq: int, to_seq: int) -> None:
    with pytest.raises(DomainError) as refused:
        await verify_audit_chain(InMemoryAuditLog(chain(5)), from_seq, to_seq)

    assert refused.value.field == "fromSeq"


async def test_a_tampered_entry_is_named_and_only_earlier_ones_count_as_checked() -> None:
    log = InMemoryAuditLog(chain(6))
    log.entries[4] = replace(log.entries[4], entry=replace(log.entries[4].entry, actor="mallory"))

    report = await verify_audit_chain(log, 2, 6)

    assert not report.ok
    assert report.first_break == ChainBreak(4, "content does not match its hash")
    assert report.checked == 2


async def test_a_range_that_starts_late_defaults_its_end_to_the_head() -> None:
    report = await verify_audit_chain(InMemoryAuditLog(chain(6)), 4)

    assert (report.ok, report.from_seq, report.to_seq, report.checked) == (True, 4, 6, 3)


async def test_an_empty_range_just_before_its_start_is_allowed() -> None:
    report = await verify_audit_chain(InMemoryAuditLog(chain(5)), 4, 3)

    assert (report.ok, report.checked) == (True, 0)


async def test_a_gap_inside_the_range_names_the_first_missing_entry() -> None:
    log = InMemoryAuditLog(chain(6))
    del log.entries[3]

    report = await verify_audit_chain(log, 1, 6)

    assert report.first_break == ChainBreak(3, "entry 3 is missing")


async def test_a_gap_inside_the_range_counts_only_the_entries_before_it() -> None:
    log = InMemoryAuditLog(chain(10))
    for seq in (3, 4, 5):
        del log.entries[seq]

    report = await verify_audit_chain(log, 1, 10)

    assert report.checked == 2


async def test_refusals_are_bad_user_input() -> None:
    with pytest.raises(DomainError) as refused:
        await verify_audit_chain(InMemoryAuditLog(chain(2)), 0)

    assert refused.value.code == ErrorCode.BAD_USER_INPUT
