"""Live SLA alerts for staff. The stream listens on Redis first, then reads PostgreSQL from
the client's position, and again whenever Redis says an alert was raised (or, at the
latest, every `live_recheck_s`): no gaps, whichever process published. Alerts are written
only by the `sla_check` job, which runs in one worker at a time, so their numbers commit in
order. The listener is re-checked before every batch and must still hold
`service_requests:assign`."""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from strawberry.types import Info

from adapters.event_publisher import user_channel
from adapters.governance_alerts import SLA_ALERTS_CHANNEL
from domain.governance.sla import SlaAlert
from persistence.governance.request_queries import ServiceRequestQueries
from resolvers.governance.service_requests import WORKS_ON_REQUESTS
from resolvers.live import reauthorize, recheck_interval
from schema.errors import BadUserInput

BATCH = 100
T = TypeVar("T")


async def sla_alerts(info: Info, after: int | None) -> AsyncIterator[SlaAlert]:
    """Alerts after `after` (None: from now on)."""
    channels = [SLA_ALERTS_CHANNEL, user_channel(info.context.principal.subject_id)]
    async with info.context.services.live_events.listen(channels) as listener:
        head = await _read(info, lambda queries: queries.alert_head())
        if after is not None and not 0 <= after <= head:
            raise BadUserInput("This cursor is not from the alert stream", field="after")
        last = head if after is None else after
        while True:
            await reauthorize(info, [WORKS_ON_REQUESTS])
            batch = await _read(
                info, lambda queries, after=last: queries.alerts_after(after, BATCH)
            )
            await info.context.loaders.service_request_by_id.load_many(
                [alert.request_id for alert in batch]
            )
            for alert in batch:
                yield alert
                last = alert.seq or last
            if len(batch) < BATCH:
                await listener.next(recheck_interval(info))
                listener.drain()


async def _read(info: Info, query: Callable[[ServiceRequestQueries], Awaitable[T]]) -> T:
    async with info.context.services.session_factory() as session:
        return await query(ServiceRequestQueries(session))
