"""Wires settings into the process-wide services (the composition root)."""

from collections.abc import Sequence
from uuid import UUID

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.event_publisher import RedisEventPublisher
from auth.middleware import Authenticator
from auth.tokens import AccessTokenService, load_signing_key
from domain.identity.model import UserStatus
from domain.identity.service import UserService
from domain.shared.clock import Clock, SystemClock
from persistence.db import SessionFactory, create_engine, create_session_factory
from persistence.governance.repository import RoleAssignmentRepository
from persistence.identity.repository import UserRepository
from schema.context import Services
from server.dispatcher import OutboxDispatcher
from server.settings import Settings


def build_engine(settings: Settings) -> AsyncEngine:
    return create_engine(
        settings.resolved_database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        statement_timeout_ms=settings.db_statement_timeout_ms,
    )


def build_redis(settings: Settings) -> Redis:
    return Redis.from_url(
        settings.resolved_redis_url,
        socket_timeout=2,
        socket_connect_timeout=2,
        health_check_interval=30,
    )


def build_services(
    settings: Settings, engine: AsyncEngine, redis: Redis, clock: Clock | None = None
) -> Services:
    clock = clock or SystemClock()
    session_factory = create_session_factory(engine)
    assert settings.jwt_signing_key is not None, "secrets must be ensured before wiring"
    tokens = AccessTokenService(
        load_signing_key(settings.jwt_signing_key.get_secret_value()),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        clock=clock,
    )
    return Services(
        settings=settings,
        session_factory=session_factory,
        redis=redis,
        clock=clock,
        tokens=tokens,
        authenticator=Authenticator(tokens, redis, _roles_loader(session_factory)),
        users=UserService(clock),
    )


def build_dispatcher(services: Services) -> OutboxDispatcher:
    settings = services.settings
    return OutboxDispatcher(
        services.session_factory,
        [RedisEventPublisher(services.redis)],
        services.clock,
        batch_size=settings.outbox_batch_size,
        max_attempts=settings.outbox_max_attempts,
        poll_interval_s=settings.outbox_poll_interval_s,
    )


def _roles_loader(session_factory: SessionFactory):  # type: ignore[no-untyped-def]
    async def load_roles(user_id: UUID) -> Sequence[str] | None:
        async with session_factory() as session:
            user = await UserRepository(session).get(user_id)
            if user is None or user.status is not UserStatus.ACTIVE:
                return None
            (roles,) = await RoleAssignmentRepository(session).roles_of_many([user_id])
            return roles

    return load_roles
