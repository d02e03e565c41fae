"""The `sla_check` scheduled job: one unit of work a round, so the alerts, the requests'
marks, their outbox events and audit entries commit together."""

from collections.abc import Callable
from datetime import datetime

from domain.governance.sla_service import SlaService
from persistence.uow import UnitOfWork


class SlaCheckJob:
    def __init__(self, unit_of_work: Callable[[], UnitOfWork], sla: SlaService) -> None:
        self._unit_of_work = unit_of_work
        self._sla = sla

    async def __call__(self, now: datetime) -> dict[str, int]:
        async with self._unit_of_work() as uow:
            alerts = await self._sla.raise_due_alerts(uow, now)
        breaches = sum(alert.kind.is_breach for alert in alerts)
        return {"at_risk": len(alerts) - breaches, "breached": breaches}
