"""Loaders of service requests and their parts (comments, history)."""

from typing import TypeVar
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from domain.governance.service_requests import RequestChange, RequestComment, ServiceRequest
from persistence.db import SessionFactory
from persistence.governance.request_queries import ServiceRequestQueries
from resolvers.batching import SessionLoader, fetch_by_shape


class ServiceRequestByIdLoader(SessionLoader[UUID, ServiceRequest | None]):
    """Every request by id: callers check the viewer may see it."""

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[ServiceRequest | None]:
        return await ServiceRequestQueries(session).get_many(keys)


RequestPageKey = tuple[UUID, tuple[int, UUID | None]]
"""(request, (page size, cursor))"""
Part = TypeVar("Part")


class _RequestPartsLoader(SessionLoader[RequestPageKey, list[Part]]):
    """Pages of a part of many requests, one statement per page shape. Internal entries
    only for staff: the flag is the viewer's, fixed when the request's loaders are made,
    so no query can ask for them on a customer's behalf."""

    def __init__(self, session_factory: SessionFactory, include_internal: bool) -> None:
        super().__init__(session_factory)
        self._include_internal = include_internal

    async def fetch(self, session: AsyncSession, keys: list[RequestPageKey]) -> list[list[Part]]:
        queries = ServiceRequestQueries(session)

        async def page(requests: list[UUID], shape: tuple[int, UUID | None]) -> list[list[Part]]:
            return await self.part(queries, requests, self._include_internal, *shape)

        return await fetch_by_shape(keys, page)

    @staticmethod
    async def part(
        queries: ServiceRequestQueries,
        requests: list[UUID],
        include_internal: bool,
        limit: int,
        after: UUID | None,
    ) -> list[list[Part]]:
        raise NotImplementedError


class CommentsByRequestIdLoader(_RequestPartsLoader[RequestComment]):
    part = staticmethod(ServiceRequestQueries.comments_of)  # type: ignore[assignment]


class HistoryByRequestIdLoader(_RequestPartsLoader[RequestChange]):
    part = staticmethod(ServiceRequestQueries.history_of)  # type: ignore[assignment]
