"""Domain events and the audit records derived from them."""

from dataclasses import FrozenInstanceError
from datetime import UTC, datetime

import pytest

from domain.shared.events import AuditRecord, DomainEvent, audit_record_for
from domain.shared.ids import new_id

AT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def event(**overrides: object) -> DomainEvent:
    values: dict[str, object] = {
        "name": "identity.profile_updated",
        "aggregate_type": "User",
        "aggregate_id": new_id(),
        "occurred_at": AT,
    }
    values.update(overrides)
    return DomainEvent(**values)  # type: ignore[arg-type]


def test_an_event_is_broadcast_to_nobody_in_particular_with_an_empty_payload_by_default() -> None:
    happened = event()

    assert (happened.payload, happened.audience, happened.broadcast) == ({}, (), True)


def test_every_event_gets_its_own_time_ordered_id() -> None:
    first, second = event(), event()

    assert first.id != second.id
    assert first.id.version == 7
    assert event().payload is not event().payload


def test_events_are_immutable() -> None:
    happened = event()

    with pytest.raises(FrozenInstanceError):
        happened.name = "something.else"  # type: ignore[misc]


def test_events_take_keyword_arguments_only() -> None:
    with pytest.raises(TypeError):
        DomainEvent("x", "User", new_id(), AT)  # type: ignore[misc]


def test_the_audit_record_of_an_event_names_its_action_entity_and_changes() -> None:
    user_id = new_id()
    happened = event(aggregate_id=user_id, payload={"changed": ["full_name"]})

    record = audit_record_for(happened)

    assert record == AuditRecord(
        action="identity.profile_updated",
        entity_type="User",
        entity_id=str(user_id),
        changes={"changed": ["full_name"]},
    )


def test_an_audit_record_has_no_changes_unless_given() -> None:
    record = AuditRecord(action="security.denied", entity_type="User", entity_id="1")

    assert record.changes == {}
