"""SLA policies (editable by admins) and the periodic check that raises each request's
at-risk and breach alerts once."""

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from domain.governance.ports import ServiceRequestUnitOfWork
from domain.governance.service_requests import RequestType
from domain.governance.sla import Priority, SlaAlert, SlaPolicy, SlaTargets
from domain.shared.clock import Clock
from domain.shared.events import DomainEvent

SLA_POLICY_UPDATED = "governance.sla_policy_updated"
SLA_ALERT_RAISED = "governance.sla_alert_raised"


class SlaService:
    def __init__(self, clock: Clock, at_risk_percent: int, batch_size: int = 500) -> None:
        if not 1 <= at_risk_percent <= 99:
            raise ValueError("at_risk_percent is 1 to 99")
        self._clock = clock
        self._at_risk_percent = at_risk_percent
        self._batch_size = batch_size

    async def update_policy(
        self,
        uow: ServiceRequestUnitOfWork,
        admin_id: UUID,
        request_type: RequestType,
        priority: Priority,
        targets: SlaTargets,
    ) -> SlaPolicy:
        """Applies to requests opened from now on; open ones keep the targets they had."""
        policy = SlaPolicy(request_type.value, priority, targets)
        now = self._clock.now()
        await uow.sla_policies.save(policy, now, admin_id)
        uow.record(
            DomainEvent(
                name=SLA_POLICY_UPDATED,
                aggregate_type="SlaPolicy",
                aggregate_id=policy.id,
                occurred_at=now,
                payload={
                    "type": request_type.value,
                    "priority": priority.value,
                    "first_response_s": int(targets.first_response.total_seconds()),
                    "resolution_s": int(targets.resolution.total_seconds()),
                },
                broadcast=False,
            )
        )
        return policy

    async def raise_due_alerts(
        self, uow: ServiceRequestUnitOfWork, now: datetime
    ) -> list[SlaAlert]:
        """One round of the `sla_check` job: at most a batch of requests, each alert kind
        raised once per request (also guarded by a unique key where alerts are stored)."""
        alerts: list[SlaAlert] = []
        for request in await uow.service_requests.claim_for_sla_check(
            now, self._at_risk_percent, self._batch_size
        ):
            kinds = request.sla.due_alerts(now, self._at_risk_percent)
            if not kinds:
                continue
            await uow.service_requests.save(replace(request, sla=request.sla.with_alerts(kinds)))
            for kind in kinds:
                due_at = request.sla.due_at_for(kind)
                alert = SlaAlert(
                    request_id=request.id,
                    kind=kind,
                    due_at=due_at,
                    raised_at=now,
                    priority=request.priority,
                    assignee_id=request.assignee_id,
                )
                alerts.append(alert)
                uow.record(
                    DomainEvent(
                        name=SLA_ALERT_RAISED,
                        aggregate_type="ServiceRequest",
                        aggregate_id=request.id,
                        occurred_at=now,
                        payload={
                            "kind": kind.value,
                            "priority": request.priority.value,
                            "due_at": due_at.isoformat(),
                            "assignee_id": None
                            if request.assignee_id is None
                            else str(request.assignee_id),
                        },
                        audience=() if request.assignee_id is None else (request.assignee_id,),
                    )
                )
        await uow.service_requests.add_alerts(alerts)
        return alerts
