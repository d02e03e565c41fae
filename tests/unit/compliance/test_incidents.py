"""Incident rules without a database: the status machine over every pair of statuses, the
postmortem and breach rules, and when the regulator's deadline calls for an alert."""

import itertools
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.compliance.incidents import (
    AffectedEntity,
    AlertKind,
    Incident,
    IncidentStatus,
    InvalidIncidentTransition,
    Severity,
    alerts_due,
    checked_affected,
)
from domain.shared.errors import DomainError, ErrorCode

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
S = IncidentStatus
LEGAL = {
    (S.OPEN, S.INVESTIGATING),
    (S.INVESTIGATING, S.MITIGATED),
    (S.MITIGATED, S.RESOLVED),
    (S.RESOLVED, S.CLOSED),
}
EVERY_PAIR = list(itertools.product(IncidentStatus, IncidentStatus))
WARNING = timedelta(hours=24)


def incident(status: IncidentStatus = S.OPEN) -> Incident:
    return Incident(
        id=uuid4(),
        title="Card payments fail",
        severity=Severity.SEV2,
        description="Gateway timeouts",
        status=status,
        affected=(),
        opened_at=NOW,
        opened_by=uuid4(),
        updated_at=NOW,
    )


@pytest.mark.parametrize(("current", "target"), sorted(set(EVERY_PAIR) - LEGAL))
def test_every_illegal_transition_is_rejected_naming_both_statuses(
    current: IncidentStatus, target: IncidentStatus
) -> None:
    with pytest.raises(InvalidIncidentTransition) as refused:
        incident(current).moved_to(target, uuid4(), NOW, "text")

    assert refused.value.code is ErrorCode.INVALID_STATE
    assert current.name in refused.value.message
    assert target.name in refused.value.message


@pytest.mark.parametrize(("current", "target"), sorted(LEGAL))
def test_each_legal_transition_moves_the_incident_and_stamps_the_time(
    current: IncidentStatus, target: IncidentStatus
) -> None:
    later = NOW + timedelta(minutes=5)

    moved = incident(current).moved_to(target, uuid4(), later, "what happened")

    assert moved.status is target
    assert moved.updated_at == later


def test_the_legal_table_covers_each_status_but_closed_once() -> None:
    assert len(EVERY_PAIR) == 25
    assert sorted(current for current, _ in LEGAL) == sorted(set(S) - {S.CLOSED})


def test_acknowledging_records_who_and_when() -> None:
    officer = uuid4()

    acknowledged = incident().moved_to(S.INVESTIGATING, officer, NOW + timedelta(minutes=3))

    assert (acknowledged.acknowledged_by, acknowledged.acknowledged_at) == (
        officer,
        NOW + timedelta(minutes=3),
    )


def test_closing_needs_a_postmortem_and_resolving_a_summary() -> None:
    with pytest.raises(DomainError) as no_postmortem:
        incident(S.RESOLVED).moved_to(S.CLOSED, uuid4(), NOW)
    with pytest.raises(DomainError) as no_summary:
        incident(S.MITIGATED).moved_to(S.RESOLVED, uuid4(), NOW)

    closed = incident(S.RESOLVED).moved_to(S.CLOSED, uuid4(), NOW, "Root cause: DNS")
    assert (no_postmortem.value.field, no_summary.value.field) == ("postmortem", "summary")
    assert closed.postmortem == "Root cause: DNS"


def test_a_breach_is_not_closed_before_the_regulator_is_notified() -> None:
    breach = incident(S.RESOLVED).flagged_as_breach(NOW, timedelta(hours=72))

    with pytest.raises(DomainError) as refused:
        breach.moved_to(S.CLOSED, uuid4(), NOW, "postmortem")
    notified = breach.with_regulator_notified("IR-2026-17", NOW)

    assert refused.value.code is ErrorCode.INVALID_STATE
    assert notified.moved_to(S.CLOSED, uuid4(), NOW, "postmortem").status is S.CLOSED


def test_flagging_a_breach_starts_the_deadline_once() -> None:
    flagged = incident().flagged_as_breach(NOW, timedelta(hours=72))

    with pytest.raises(DomainError) as again:
        flagged.flagged_as_breach(NOW, timedelta(hours=72))

    assert flagged.regulator_notification_due_at == NOW + timedelta(hours=72)
    assert again.value.code is ErrorCode.CONFLICT


def test_only_breaches_are_notified_and_only_once() -> None:
    breach = incident().flagged_as_breach(NOW, timedelta(hours=72))

    with pytest.raises(DomainError) as not_a_breach:
        incident().with_regulator_notified("IR-1", NOW)
    with pytest.raises(DomainError) as twice:
        breach.with_regulator_notified("IR-1", NOW).with_regulator_notified("IR-2", NOW)

    assert (not_a_breach.value.code, twice.value.code) == (
        ErrorCode.INVALID_STATE,
        ErrorCode.CONFLICT,
    )


@pytest.mark.parametrize(
    ("hours_after_flagging", "raised", "expected"),
    [
        (47, frozenset(), []),
        (48, frozenset(), [AlertKind.DEADLINE_NEAR]),
        (50, frozenset({AlertKind.DEADLINE_NEAR}), []),
        (72, frozenset({AlertKind.DEADLINE_NEAR}), [AlertKind.DEADLINE_PASSED]),
        (80, frozenset(), [AlertKind.DEADLINE_PASSED]),
        (90, frozenset({AlertKind.DEADLINE_NEAR, AlertKind.DEADLINE_PASSED}), []),
    ],
)
def test_the_deadline_calls_for_each_alert_once_when_its_time_comes(
    hours_after_flagging: int, raised: frozenset[AlertKind], expected: list[AlertKind]
) -> None:
    breach = incident().flagged_as_breach(NOW, timedelta(hours=72))

    due = alerts_due(breach, raised, NOW + timedelta(hours=hours_after_flagging), WARNING)

    assert due == expected


def test_a_notified_breach_needs_no_alert() -> None:
    notified = (
        incident().flagged_as_breach(NOW, timedelta(hours=72)).with_regulator_notified("IR", NOW)
    )

    assert alerts_due(notified, frozenset(), NOW + timedelta(hours=100), WARNING) == []


def test_affected_entities_are_named_types_deduplicated() -> None:
    entity = AffectedEntity("Transaction", " tx-1 ")

    assert checked_affected([entity, AffectedEntity("Transaction", "tx-1")]) == (
        AffectedEntity("Transaction", "tx-1"),
    )
    with pytest.raises(DomainError):
        checked_affected([AffectedEntity("1 bad type", "x")])
