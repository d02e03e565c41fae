"""One transaction per command: business rows, outbox events and audit entries commit together."""

import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import cached_property
from types import TracebackType
from typing import Any, Self

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.kyc_limits import KycTierLimits
from adapters.payment_parties import ActiveUsers, MerchantRoles, Recipients
from adapters.personal_data import SubjectKeyring
from domain.compliance.audit import redact
from domain.shared.clock import Clock
from domain.shared.events import AuditRecord, DomainEvent, audit_record_for
from persistence.compliance.erasure_requests import ErasureRequestRepository
from persistence.compliance.incidents import IncidentRepository
from persistence.compliance.repository import AuditLogRepository, AuditStamp
from persistence.db import SessionFactory
from persistence.governance.repository import RoleAssignmentRepository
from persistence.governance.role_grants import RoleGrantRepository, RoleHolders, StaffDirectory
from persistence.governance.service_requests import (
    ServiceRequestRepository,
    SlaPolicyRepository,
)
from persistence.identity.api_keys import ApiKeyRepository
from persistence.identity.kyc import KycRepository
from persistence.identity.mfa import MfaRepository
from persistence.identity.repository import UserRepository
from persistence.identity.sessions import (
    OneTimeTokenRepository,
    RefreshTokenRepository,
    SessionRepository,
)
from persistence.payments.idempotency import IdempotencyRepository
from persistence.payments.merchants import MerchantRepository
from persistence.payments.reconciliation import ReconciliationRepository
from persistence.payments.repository import AccountRepository, LedgerRepository
from persistence.payments.vehicles import VehicleRepository
from persistence.payments.webhooks import WebhookRepository, WebhookSecrets
from persistence.shared.tables import OutboxEventRow


@dataclass(frozen=True)
class Actor:
    """Who is acting, as the audit log records it."""

    name: str
    request_id: str | None = None
    ip: str | None = None


SYSTEM = Actor("system")


def json_safe(value: Any) -> Any:
    """What PostgreSQL's jsonb will hand back, so hashes verify after a round trip."""
    return json.loads(json.dumps(value, default=str))


class UnitOfWork:
    """`async with` commits on success and rolls everything back on any exception."""

    def __init__(
        self,
        session_factory: SessionFactory,
        clock: Clock,
        actor: Actor,
        keyring: SubjectKeyring,
        webhook_secrets: WebhookSecrets,
    ) -> None:
        self._session_factory = session_factory
        self._keyring = keyring
        self._webhook_secrets = webhook_secrets
        self._clock = clock
        self._actor = actor
        self._events: list[DomainEvent] = []
        self._audit: list[AuditRecord] = []
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside `async with`")
        return self._session

    async def __aenter__(self) -> Self:
        self._session = self._session_factory()
        await self._session.begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            if exc_type is None:
                await self._commit(session)
            else:
                await session.rollback()
        finally:
            self._events.clear()
            self._audit.clear()
            await session.close()
            self._session = None

    @contextlib.asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """Undoes the rows, events and audit entries of a failed step, keeping the rest."""
        events, audit = len(self._events), len(self._audit)
        try:
            async with self.session.begin_nested():
                yield
        except BaseException:
            del self._events[events:]
            del self._audit[audit:]
            raise

    def record(self, event: DomainEvent) -> None:
        self._events.append(event)
        self._audit.append(audit_record_for(event))

    def audit(self, record: AuditRecord) -> None:
        self._audit.append(record)

    @cached_property
    def users(self) -> UserRepository:
        return UserRepository(self.session, self._keyring)

    @cached_property
    def role_assignments(self) -> RoleAssignmentRepository:
        return RoleAssignmentRepository(self.session)

    @cached_property
    def role_grants(self) -> RoleGrantRepository:
        return RoleGrantRepository(self.session)

    @cached_property
    def role_holders(self) -> RoleHolders:
        return RoleHolders(self.session)

    @cached_property
    def service_requests(self) -> ServiceRequestRepository:
        return ServiceRequestRepository(self.session)

    @cached_property
    def sla_policies(self) -> SlaPolicyRepository:
        return SlaPolicyRepository(self.session)

    @cached_property
    def staff(self) -> StaffDirectory:
        return StaffDirectory(self.session)

    @cached_property
    def sessions(self) -> SessionRepository:
        return SessionRepository(self.session)

    @cached_property
    def refresh_tokens(self) -> RefreshTokenRepository:
        return RefreshTokenRepository(self.session)

    @cached_property
    def one_time_tokens(self) -> OneTimeTokenRepository:
        return OneTimeTokenRepository(self.session)

    @cached_property
    def api_keys(self) -> ApiKeyRepository:
        return ApiKeyRepository(self.session)

    @cached_property
    def accounts(self) -> AccountRepository:
        return AccountRepository(self.session)

    @cached_property
    def ledger(self) -> LedgerRepository:
        return LedgerRepository(self.session)

    @cached_property
    def merchants(self) -> MerchantRepository:
        return MerchantRepository(self.session)

    @cached_property
    def reconciliation(self) -> ReconciliationRepository:
        return ReconciliationRepository(self.session)

    @cached_property
    def vehicles(self) -> VehicleRepository:
        return VehicleRepository(self.session)

    @cached_property
    def webhooks(self) -> WebhookRepository:
        return WebhookRepository(self.session, self._webhook_secrets)

    @cached_property
    def active_users(self) -> ActiveUsers:
        return ActiveUsers(self.session)

    @cached_property
    def merchant_roles(self) -> MerchantRoles:
        return MerchantRoles(self.session)

    @cached_property
    def recipients(self) -> Recipients:
        return Recipients(self.session, self._keyring)

    @cached_property
    def limits(self) -> KycTierLimits:
        return KycTierLimits(self.session, self._keyring)

    @cached_property
    def idempotency(self) -> IdempotencyRepository:
        return IdempotencyRepository(self.session)

    @cached_property
    def kyc(self) -> KycRepository:
        return KycRepository(self.session, self._keyring)

    @cached_property
    def mfa(self) -> MfaRepository:
        return MfaRepository(self.session)

    @cached_property
    def incidents(self) -> IncidentRepository:
        return IncidentRepository(self.session)

    @cached_property
    def erasure_requests(self) -> ErasureRequestRepository:
        return ErasureRequestRepository(self.session)

    async def _commit(self, session: AsyncSession) -> None:
        await session.flush()
        now = self._clock.now()
        if self._events:
            await session.execute(
                insert(OutboxEventRow), [_outbox_row(event, now) for event in self._events]
            )
        if self._audit:
            records = [
                AuditRecord(
                    action=record.action,
                    entity_type=record.entity_type,
                    entity_id=record.entity_id,
                    changes=json_safe(redact(record.changes)),
                )
                for record in self._audit
            ]
            stamp = AuditStamp(self._actor.name, self._actor.request_id, self._actor.ip, now)
            await AuditLogRepository(session).append(records, stamp)
        await session.commit()


def _outbox_row(event: DomainEvent, now: Any) -> dict[str, Any]:
    return {
        "event_id": event.id,
        "name": event.name,
        "aggregate_type": event.aggregate_type,
        "aggregate_id": event.aggregate_id,
        "payload": json_safe(event.payload),
        "audience": list(event.audience),
        "occurred_at": event.occurred_at,
        "broadcast": event.broadcast,
        "available_at": now,
    }
