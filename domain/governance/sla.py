"""Service-level targets and the clock that measures a request against them: pure.

First response is the earlier of the first public comment by staff and the start of work.
The clock stops while the request waits on the customer; when it resumes, every target not
yet met moves later by the time it waited."""

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID, uuid5

from domain.shared.errors import DomainError

MAX_TARGET = timedelta(days=365)
POLICY_NAMESPACE = UUID("5a1a0000-0000-4000-8000-000000000000")


class Priority(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """Higher is more urgent."""
        return list(Priority).index(self)


class SlaAlertKind(StrEnum):
    FIRST_RESPONSE_AT_RISK = "first_response_at_risk"
    FIRST_RESPONSE_BREACHED = "first_response_breached"
    RESOLUTION_AT_RISK = "resolution_at_risk"
    RESOLUTION_BREACHED = "resolution_breached"

    @property
    def is_breach(self) -> bool:
        return self in (SlaAlertKind.FIRST_RESPONSE_BREACHED, SlaAlertKind.RESOLUTION_BREACHED)

    @property
    def is_first_response(self) -> bool:
        return self in (SlaAlertKind.FIRST_RESPONSE_AT_RISK, SlaAlertKind.FIRST_RESPONSE_BREACHED)


DEFAULT_TARGETS: dict[Priority, tuple[timedelta, timedelta]] = {
    Priority.CRITICAL: (timedelta(hours=1), timedelta(hours=4)),
    Priority.HIGH: (timedelta(hours=4), timedelta(hours=24)),
    Priority.MEDIUM: (timedelta(days=1), timedelta(days=3)),
    Priority.LOW: (timedelta(days=3), timedelta(days=10)),
}
"""(first response, resolution) by priority, as DOMAIN.md gives them."""


@dataclass(frozen=True)
class SlaTargets:
    first_response: timedelta
    resolution: timedelta

    def __post_init__(self) -> None:
        for name, target in (
            ("firstResponseSeconds", self.first_response),
            ("resolutionSeconds", self.resolution),
        ):
            if not timedelta(minutes=1) <= target <= MAX_TARGET or target % timedelta(seconds=1):
                raise DomainError("A target is whole seconds from 1 minute to 365 days", field=name)
        if self.first_response > self.resolution:
            raise DomainError(
                "The first response cannot be due after the resolution",
                field="firstResponseSeconds",
            )


@dataclass(frozen=True)
class SlaPolicy:
    request_type: str
    priority: Priority
    targets: SlaTargets

    @property
    def id(self) -> UUID:
        """Stable per (type, priority), for events and audit entries."""
        return uuid5(POLICY_NAMESPACE, f"{self.request_type}:{self.priority.value}")


@dataclass(frozen=True)
class _Target:
    due_at: datetime
    span: timedelta
    met_at: datetime | None
    at_risk: SlaAlertKind
    breached: SlaAlertKind


@dataclass(frozen=True, kw_only=True)
class SlaClock:
    """A request's targets as they stood when it opened (later policy edits do not move
    them), its due times, and the alerts already raised (each at most once)."""

    targets: SlaTargets
    first_response_due_at: datetime
    resolution_due_at: datetime
    first_responded_at: datetime | None = None
    resolved_at: datetime | None = None
    paused_at: datetime | None = None
    alerted: frozenset[SlaAlertKind] = frozenset()

    @classmethod
    def started(cls, targets: SlaTargets, at: datetime) -> "SlaClock":
        return cls(
            targets=targets,
            first_response_due_at=at + targets.first_response,
            resolution_due_at=at + targets.resolution,
        )

    def responded(self, at: datetime) -> "SlaClock":
        return self if self.first_responded_at is not None else replace(self, first_responded_at=at)

    def paused(self, at: datetime) -> "SlaClock":
        return self if self.paused_at is not None else replace(self, paused_at=at)

    def resumed(self, at: datetime) -> "SlaClock":
        if self.paused_at is None:
            return self
        waited = at - self.paused_at
        return replace(
            self,
            paused_at=None,
            first_response_due_at=self.first_response_due_at
            + (waited if self.first_responded_at is None else timedelta(0)),
            resolution_due_at=self.resolution_due_at
            + (waited if self.resolved_at is None else timedelta(0)),
        )

    def resolved(self, at: datetime) -> "SlaClock":
        return replace(self.resumed(at), resolved_at=at)

    def reopened(self) -> "SlaClock":
        """The resolution is owed again, against the same due time."""
        return replace(self, resolved_at=None)

    def due_alerts(self, now: datetime, at_risk_percent: int) -> list[SlaAlertKind]:
        """Alerts whose moment has come and that were not raised before. A breach found
        before its warning was raised stands for both."""
        if self.paused_at is not None:
            return []
        due = []
        for target in self._open_targets():
            warn_at = target.due_at - target.span * (100 - at_risk_percent) / 100
            if now >= target.due_at:
                due.append(target.breached)
            elif now >= warn_at and target.at_risk not in self.alerted:
                due.append(target.at_risk)
        return due

    def with_alerts(self, kinds: list[SlaAlertKind]) -> "SlaClock":
        raised = set(self.alerted) | set(kinds)
        if SlaAlertKind.FIRST_RESPONSE_BREACHED in raised:
            raised.add(SlaAlertKind.FIRST_RESPONSE_AT_RISK)
        if SlaAlertKind.RESOLUTION_BREACHED in raised:
            raised.add(SlaAlertKind.RESOLUTION_AT_RISK)
        return replace(self, alerted=frozenset(raised))

    def due_at_for(self, kind: SlaAlertKind) -> datetime:
        return self.first_response_due_at if kind.is_first_response else self.resolution_due_at

    @property
    def breached(self) -> bool:
        """A target missed: found by the check while owed, or met late."""
        late_response = (
            self.first_responded_at is not None
            and self.first_responded_at > self.first_response_due_at
        )
        late_resolution = self.resolved_at is not None and self.resolved_at > self.resolution_due_at
        return late_response or late_resolution or any(kind.is_breach for kind in self.alerted)

    def _open_targets(self) -> Iterator[_Target]:
        for target in (
            _Target(
                self.first_response_due_at,
                self.targets.first_response,
                self.first_responded_at,
                SlaAlertKind.FIRST_RESPONSE_AT_RISK,
                SlaAlertKind.FIRST_RESPONSE_BREACHED,
            ),
            _Target(
                self.resolution_due_at,
                self.targets.resolution,
                self.resolved_at,
                SlaAlertKind.RESOLUTION_AT_RISK,
                SlaAlertKind.RESOLUTION_BREACHED,
            ),
        ):
            if target.met_at is None and target.breached not in self.alerted:
                yield target


@dataclass(frozen=True, kw_only=True)
class SlaAlert:
    request_id: UUID
    kind: SlaAlertKind
    due_at: datetime
    raised_at: datetime
    priority: Priority
    assignee_id: UUID | None
    seq: int | None = None
    """The alert stream's number, given when it is stored."""
