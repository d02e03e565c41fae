"""SLA policies (`sla:manage` edits them) and the compliance report (`reports:read`)."""

from datetime import date, timedelta

from strawberry.types import Info

from domain.governance.service_requests import RequestType
from domain.governance.sla import Priority, SlaPolicy, SlaTargets
from domain.governance.sla_report import SlaComplianceReport
from domain.shared.calendar import ReportPeriod
from domain.shared.errors import DomainError
from persistence.governance.service_requests import SlaPolicyRepository
from persistence.uow import UnitOfWork
from resolvers.commands import run_command
from resolvers.compliance.reports import SLA_COMPLIANCE, PeriodParams, run_report
from schema.errors import BadUserInput


async def update_policy(
    info: Info,
    request_type: RequestType,
    priority: Priority,
    first_response_s: int,
    resolution_s: int,
) -> SlaPolicy | DomainError:
    sla = info.context.services.sla
    admin = info.context.principal.subject_id

    async def work(uow: UnitOfWork) -> SlaPolicy:
        """Targets are checked inside the command, so a bad one is a payload error."""
        targets = SlaTargets(timedelta(seconds=first_response_s), timedelta(seconds=resolution_s))
        return await sla.update_policy(uow, admin, request_type, priority, targets)

    return await run_command(info, work)


async def policies(info: Info) -> list[SlaPolicy]:
    async with info.context.services.session_factory() as session:
        return await SlaPolicyRepository(session).all()


async def compliance(info: Info, start: date, end: date) -> SlaComplianceReport:
    try:
        period = ReportPeriod.checked(start, end)
    except DomainError as error:
        raise BadUserInput(error.message, field=error.field) from None
    return await run_report(info.context.services, SLA_COMPLIANCE, PeriodParams(period))
