"""The scheduled job that raises regulator-deadline alerts for personal-data breaches."""

from collections.abc import Callable
from datetime import datetime

from domain.compliance.incident_service import IncidentService
from domain.compliance.incidents import AlertKind
from persistence.uow import SYSTEM, Actor, UnitOfWork


class IncidentDeadlineJob:
    """Each alert once, whatever the reruns: the alerts table allows one per kind."""

    def __init__(
        self, unit_of_work: Callable[[Actor], UnitOfWork], incidents: IncidentService
    ) -> None:
        self._unit_of_work = unit_of_work
        self._incidents = incidents

    async def __call__(self, now: datetime) -> dict[str, int]:
        async with self._unit_of_work(SYSTEM) as uow:
            raised = await self._incidents.raise_deadline_alerts(uow)
        return {kind.value: sum(alert.kind is kind for alert in raised) for kind in AlertKind}
