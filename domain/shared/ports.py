from typing import Protocol

from domain.shared.events import AuditRecord, DomainEvent


class EventRecorder(Protocol):
    """The part of a unit of work every service uses: events out, audit entries in."""

    def record(self, event: DomainEvent) -> None:
        """Queues the event for the outbox and audits it, in the command's transaction."""

    def audit(self, record: AuditRecord) -> None:
        """Audits something that is not a domain event (e.g. a security decision)."""
