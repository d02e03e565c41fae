"""Live regulator-deadline alerts. A stream listens on Redis first, then reads PostgreSQL
from the client's position, and reads again whenever Redis says an alert was raised (or,
at the latest, every `live_recheck_s`): alerts come in order, without gaps or repeats."""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from strawberry.types import Info

from adapters.event_publisher import user_channel
from adapters.incident_alerts import INCIDENT_ALERTS_CHANNEL
from domain.compliance.incidents import IncidentAlert
from persistence.compliance.incident_queries import IncidentQueries
from resolvers.compliance.incidents import MANAGE
from resolvers.live import reauthorize, recheck_interval
from schema.errors import BadUserInput

BATCH = 100
T = TypeVar("T")


async def incident_alerts(info: Info, after: int | None) -> AsyncIterator[IncidentAlert]:
    """Alerts after the `after`-th (None: from now on), while the listener holds
    `incidents:manage`."""
    channels = [INCIDENT_ALERTS_CHANNEL, user_channel(info.context.principal.subject_id)]
    async with info.context.services.live_events.listen(channels) as listener:
        head = await _read(info, lambda queries: queries.last_alert_seq())
        if after is not None and not 0 <= after <= head:
            raise BadUserInput("This cursor is not from the alert stream", field="after")
        last = head if after is None else after
        while True:
            await reauthorize(info, [MANAGE])
            batch = await _read(
                info, lambda queries, after=last: queries.alerts_after(after, BATCH)
            )
            await info.context.loaders.incident_by_id.load_many([a.incident_id for a in batch])
            for alert in batch:
                yield alert
                last = alert.seq
            if len(batch) < BATCH:
                await listener.next(recheck_interval(info))
                listener.drain()


async def _read(info: Info, query: Callable[[IncidentQueries], Awaitable[T]]) -> T:
    async with info.context.services.session_factory() as session:
        return await query(IncidentQueries(session))
