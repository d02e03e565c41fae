"""The permissions each role grants, cached in Redis: every authenticated request needs them.

Only the role -> permissions catalogue is cached. Who holds which role is read in the
request's one statement with the user's status and the session's liveness (an index
lookup beside two primary-key ones), so a grant, an approval or a revocation applies
from the very next request with nothing to invalidate; caching role holders instead would
need an invalidation on every path that changes them, and the outbox's is asynchronous.
The catalogue changes only by migration: `elcorp migrate` makes the cached one stale
(`forget_role_permissions`), and the cache's TTL bounds a change made any other way."""

from collections.abc import Iterable
from dataclasses import dataclass

from redis.asyncio import Redis

from adapters.report_cache import ReportCache, bump_version
from persistence.db import SessionFactory
from persistence.governance.repository import RoleCatalogue

CACHE_NAME = "permissions"
FAMILY = "role_permissions"


@dataclass(frozen=True)
class PermissionCatalogue:
    by_role: dict[str, list[str]]

    def granted_by(self, roles: Iterable[str]) -> list[str]:
        return sorted({permission for role in roles for permission in self.by_role.get(role, ())})


class RolePermissions:
    def __init__(self, session_factory: SessionFactory, cache: ReportCache) -> None:
        self._session_factory = session_factory
        self._cache = cache

    async def catalogue(self) -> PermissionCatalogue:
        return await self._cache.get_or_compute(
            CACHE_NAME, FAMILY, None, PermissionCatalogue, self._load
        )

    async def _load(self) -> PermissionCatalogue:
        async with self._session_factory() as db:
            roles = await RoleCatalogue(db).all()
        return PermissionCatalogue({role.name: role.permissions for role in roles})


async def forget_role_permissions(redis: Redis) -> None:
    await bump_version(redis, FAMILY)
