from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from domain.compliance.incidents import Incident, TimelineEntry
from persistence.compliance.incident_queries import IncidentQueries
from resolvers.batching import SessionLoader, fetch_by_shape


class IncidentByIdLoader(SessionLoader[UUID, Incident | None]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[Incident | None]:
        return await IncidentQueries(session).incidents(keys)


TimelinePageKey = tuple[UUID, int, int | None]
"""(incident, page size, after entry)"""


class TimelineByIncidentIdLoader(SessionLoader[TimelinePageKey, list[TimelineEntry]]):
    async def fetch(
        self, session: AsyncSession, keys: list[TimelinePageKey]
    ) -> list[list[TimelineEntry]]:
        queries = IncidentQueries(session)
        return await fetch_by_shape(
            [(incident, (limit, after)) for incident, limit, after in keys],
            lambda incidents, shape: queries.timeline_pages(incidents, *shape),
        )
