"""Wires settings into the process-wide services (the composition root)."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar
from uuid import UUID

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from adapters.audit_checkpoints import AuditCheckpointJob
from adapters.checkpoint_keys import Ed25519CheckpointKeys
from adapters.cost_budget import CostBudgets
from adapters.encryption import FieldCipher
from adapters.event_publisher import RedisEventPublisher
from adapters.governance_alerts import SlaAlertMail, SlaAlertWakeUp
from adapters.governance_sla import SlaCheckJob
from adapters.identity_mail import IdentityMailHandler
from adapters.incident_alerts import IncidentAlertMail, IncidentAlertWakeUp
from adapters.incident_deadlines import IncidentDeadlineJob
from adapters.keys import derive_key
from adapters.live_events import LiveEventHub
from adapters.mail import Mailer, RedisMailbox, SmtpMailer
from adapters.payments_mail import WebhookDisabledMail
from adapters.payments_reconciliation import ReconcileImportedStatement
from adapters.payments_wallets import OpenWalletOnSignUp
from adapters.personal_data import SubjectKeyring
from adapters.report_cache import ReportCache, ReportCacheInvalidation, by_event_name
from adapters.role_permissions import PermissionCatalogue, RolePermissions
from adapters.sandbox_gateway import SandboxGateway
from adapters.webhook_delivery import WebhookDispatcher, WebhookFanout, WebhookSender
from adapters.webhook_http import DnsResolver, webhook_client
from auth.mfa import PyOtpTotp
from auth.middleware import (
    ApiKeyGrant,
    ApiKeyLoader,
    Authenticator,
    GrantLoader,
    SessionGrant,
)
from auth.passwords import Argon2PasswordHasher
from auth.rate_limit import PerMinuteLimit
from auth.revocation import RedisAccessTokenRevoker, RedisChallengeLedger
from auth.throttle import RedisLoginThrottle
from auth.tokens import TokenService, load_signing_key, load_verification_key
from domain.compliance.data_subject_service import DataSubjectRightsService
from domain.compliance.incident_service import DeadlinePolicy, IncidentService
from domain.governance.role_service import RoleAdministrationService
from domain.governance.service_request_service import ServiceRequestService
from domain.governance.sla_service import SlaService
from domain.identity.api_keys import ApiKeyService
from domain.identity.authentication import AuthenticationService
from domain.identity.kyc_service import KycService
from domain.identity.mfa import MfaService
from domain.identity.passwords import PasswordService
from domain.identity.registration import RegistrationService
from domain.identity.secrets import OneTimeTokenCodec
from domain.identity.service import UserService
from domain.payments.merchants import MerchantService
from domain.payments.reconciliation_service import ReconciliationService
from domain.payments.service import PaymentsService
from domain.payments.statements import StatementLimits
from domain.payments.vehicles import VehicleService
from domain.payments.webhook_service import WebhookService
from domain.shared.clock import Clock, SystemClock
from persistence.db import (
    SessionFactory,
    create_engine,
    create_read_session_factory,
    create_session_factory,
)
from persistence.identity.personal_data import KnownSubjects
from persistence.identity.principals import load_api_key, load_principal
from persistence.payments.webhooks import WebhookSecrets
from resolvers.compliance.reports import REPORTS, families_by_event
from resolvers.payments.merchant_days_cache import merchant_days_families
from resolvers.payments.vehicle_count_cache import (
    CACHE_FAMILIES_BY_EVENT as VEHICLE_CACHE_FAMILIES_BY_EVENT,
)
from schema.context import Services
from server.data_protection import personal_data_holders, retention_job
from server.dispatcher import OutboxDispatcher
from server.observability import Metrics
from server.scheduler import ScheduledJob, Scheduler
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


def secret(settings: Settings, name: str) -> str:
    value = getattr(settings, name)
    assert value is not None, "secrets must be ensured before wiring"
    return str(value.get_secret_value())


def build_services(
    settings: Settings,
    engine: AsyncEngine,
    redis: Redis,
    clock: Clock | None = None,
    metrics: Metrics | None = None,
) -> Services:
    clock = clock or SystemClock()
    metrics = metrics or Metrics()
    session_factory = create_session_factory(engine)
    read_session_factory = create_read_session_factory(engine)
    keyring = build_keyring(settings)
    tokens = TokenService(
        load_signing_key(secret(settings, "jwt_signing_key")),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        clock=clock,
        retired_keys=tuple(load_verification_key(pem) for pem in settings.jwt_retired_keys),
    )
    hasher = Argon2PasswordHasher(
        time_cost=settings.password_time_cost,
        memory_kib=settings.password_memory_kib,
        parallelism=settings.password_parallelism,
    )
    users = UserService(clock, hasher)
    throttle = RedisLoginThrottle(
        redis,
        max_failures=settings.login_max_failures,
        window_s=settings.login_failure_window_s,
        ip_limit_per_minute=settings.login_ip_limit_per_minute,
    )
    authentication = AuthenticationService(
        clock,
        hasher,
        tokens,
        throttle,
        RedisAccessTokenRevoker(redis, clock),
        tokens,
        timedelta(days=settings.refresh_token_days),
    )
    report_cache = ReportCache(
        redis,
        settings.report_cache_ttl_s,
        metrics.cache_hits,
        metrics.cache_misses,
        derive_key(secret(settings, "master_encryption_key"), "cache-seals"),
    )
    role_permissions = RolePermissions(session_factory, report_cache)
    return Services(
        settings=settings,
        session_factory=session_factory,
        read_session_factory=read_session_factory,
        redis=redis,
        clock=clock,
        tokens=tokens,
        authenticator=Authenticator(
            tokens,
            redis,
            _grant_loader(read_session_factory, clock, role_permissions),
            _api_key_loader(read_session_factory, role_permissions),
        ),
        api_keys=ApiKeyService(clock),
        keyring=keyring,
        data_subject_rights=DataSubjectRightsService(
            clock, KnownSubjects(session_factory), personal_data_holders(session_factory, keyring)
        ),
        kyc=KycService(clock),
        payments=PaymentsService(clock, SandboxGateway()),
        reconciliation=ReconciliationService(
            clock,
            (SandboxGateway.name,),
            StatementLimits(
                settings.settlement_statement_max_bytes, settings.settlement_statement_max_lines
            ),
        ),
        merchants=MerchantService(clock, settings.merchant_fee_basis_points),
        vehicles=VehicleService(clock),
        role_administration=RoleAdministrationService(clock),
        service_requests=ServiceRequestService(
            clock, timedelta(days=settings.service_request_reopen_days)
        ),
        sla=SlaService(clock, settings.sla_at_risk_percent),
        live_events=LiveEventHub(redis),
        webhooks=build_webhook_service(settings, clock),
        checkpoint_keys=checkpoint_keys(settings),
        incidents=build_incident_service(settings, clock),
        report_cache=report_cache,
        cost_budgets=CostBudgets(redis),
        webhook_secrets=WebhookSecrets(
            FieldCipher(derive_key(secret(settings, "webhook_signing_key"), "webhook-secrets"))
        ),
        public_lookups=PerMinuteLimit(
            redis, "elcorp:public", settings.public_lookup_limit_per_minute
        ),
        users=users,
        registration=RegistrationService(
            clock,
            users,
            one_time_token_codec(settings),
            timedelta(minutes=settings.email_token_minutes),
        ),
        authentication=authentication,
        passwords=PasswordService(
            clock,
            hasher,
            one_time_token_codec(settings),
            throttle,
            timedelta(minutes=settings.email_token_minutes),
        ),
        mfa=MfaService(
            clock,
            PyOtpTotp(),
            FieldCipher(derive_key(secret(settings, "master_encryption_key"), "totp-secrets")),
            throttle,
            RedisChallengeLedger(redis),
            authentication,
        ),
    )


def checkpoint_keys(settings: Settings) -> Ed25519CheckpointKeys:
    return Ed25519CheckpointKeys(
        secret(settings, "audit_checkpoint_key"), tuple(settings.audit_checkpoint_retired_keys)
    )


def build_keyring(settings: Settings) -> SubjectKeyring:
    master = secret(settings, "master_encryption_key")
    return SubjectKeyring(derive_key(master, "subject-keys"), derive_key(master, "lookups"))


def one_time_token_codec(settings: Settings) -> OneTimeTokenCodec:
    return OneTimeTokenCodec(
        derive_key(secret(settings, "master_encryption_key"), "one-time-tokens")
    )


def build_mailer(settings: Settings, redis: Redis) -> Mailer:
    if settings.smtp_url:
        return SmtpMailer(settings.smtp_url, settings.mail_from)
    return RedisMailbox(redis)


def build_dispatcher(services: Services) -> OutboxDispatcher:
    settings = services.settings
    mailer = build_mailer(settings, services.redis)
    return OutboxDispatcher(
        services.session_factory,
        [
            IdentityMailHandler(
                services.session_factory, services.keyring, one_time_token_codec(settings), mailer
            ),
            ReconcileImportedStatement(services.unit_of_work, services.reconciliation),
            OpenWalletOnSignUp(services.unit_of_work, services.payments),
            SlaAlertMail(
                services.session_factory, services.keyring, mailer, settings.sla_alert_mailbox
            ),
            SlaAlertWakeUp(services.redis),
            WebhookFanout(services.unit_of_work, services.webhooks),
            WebhookDisabledMail(services.session_factory, services.keyring, mailer),
            IncidentAlertMail(services.session_factory, services.keyring, mailer),
            IncidentAlertWakeUp(services.redis),
            ReportCacheInvalidation(
                services.report_cache,
                by_event_name(
                    {**families_by_event(REPORTS.values()), **VEHICLE_CACHE_FAMILIES_BY_EVENT}
                ),
            ),
            ReportCacheInvalidation(services.report_cache, merchant_days_families),
            RedisEventPublisher(services.redis),
        ],
        services.clock,
        batch_size=settings.outbox_batch_size,
        max_attempts=settings.outbox_max_attempts,
        poll_interval_s=settings.outbox_poll_interval_s,
    )


def build_incident_service(settings: Settings, clock: Clock) -> IncidentService:
    return IncidentService(
        clock,
        DeadlinePolicy(
            notify_within=timedelta(hours=settings.incident_breach_notification_hours),
            warn_before=timedelta(hours=settings.incident_deadline_warning_hours),
        ),
    )


def build_webhook_service(
    settings: Settings, clock: Clock, *, failure_limit: int | None = None
) -> WebhookService:
    return WebhookService(
        clock,
        DnsResolver(),
        allow_private=settings.webhooks_allow_private,
        failure_limit=failure_limit or settings.webhook_failure_limit,
    )


def build_webhook_dispatcher(
    services: Services,
    clock: Clock | None = None,
    *,
    webhooks: WebhookService | None = None,
    allow_private: bool | None = None,
) -> WebhookDispatcher:
    """The process's dispatcher; tests inject a clock (which its service then keeps too), a
    service, or an address policy."""
    settings = services.settings
    if webhooks is None:
        webhooks = services.webhooks if clock is None else build_webhook_service(settings, clock)
    http = webhook_client(
        allow_private=settings.webhooks_allow_private if allow_private is None else allow_private,
        timeout_s=settings.webhook_timeout_s,
    )
    return WebhookDispatcher(
        services.unit_of_work,
        webhooks,
        WebhookSender(http),
        clock or services.clock,
        batch_size=settings.webhook_batch_size,
        concurrency=settings.webhook_concurrency,
        poll_interval_s=settings.webhook_poll_interval_s,
    )


def scheduled_jobs(services: Services) -> list[ScheduledJob]:
    """The periodic jobs of every context, on the intervals settings give."""
    settings = services.settings
    return [
        ScheduledJob(
            "sla_check",
            timedelta(seconds=settings.sla_check_interval_s),
            SlaCheckJob(services.unit_of_work, services.sla),
        ),
        ScheduledJob(
            "audit_checkpoint",
            timedelta(seconds=settings.audit_checkpoint_interval_s),
            AuditCheckpointJob(services.session_factory, services.checkpoint_keys),
        ),
        ScheduledJob(
            "incident_deadlines",
            timedelta(seconds=settings.incident_deadlines_interval_s),
            IncidentDeadlineJob(services.unit_of_work, services.incidents),
        ),
        retention_job(services),
    ]


def build_scheduler(
    engine: AsyncEngine, services: Services, jobs: list[ScheduledJob] | None = None
) -> Scheduler:
    return Scheduler(engine, scheduled_jobs(services) if jobs is None else jobs, services.clock)


Record = TypeVar("Record")


async def _with_catalogue(
    session_factory: SessionFactory,
    role_permissions: RolePermissions,
    read: Callable[[AsyncSession], Awaitable[Record]],
) -> tuple[Record, PermissionCatalogue]:
    """The statement and the cached catalogue are read at once: a hit adds no wait."""

    async def record() -> Record:
        async with session_factory() as session:
            return await read(session)

    return await asyncio.gather(record(), role_permissions.catalogue())


def _api_key_loader(
    session_factory: SessionFactory, role_permissions: RolePermissions
) -> ApiKeyLoader:
    async def load(key_id: UUID) -> ApiKeyGrant | None:
        found, catalogue = await _with_catalogue(
            session_factory, role_permissions, lambda session: load_api_key(session, key_id)
        )
        if found is None:
            return None
        return ApiKeyGrant(found.key, catalogue.granted_by(found.owner_roles))

    return load


def _grant_loader(
    session_factory: SessionFactory, clock: Clock, role_permissions: RolePermissions
) -> GrantLoader:
    async def load_grant(user_id: UUID, session_id: UUID) -> SessionGrant | None:
        found, catalogue = await _with_catalogue(
            session_factory,
            role_permissions,
            lambda session: load_principal(session, user_id, session_id, clock.now()),
        )
        if found is None:
            return None
        return SessionGrant(catalogue.granted_by(found.roles), found.session_active)

    return load_grant
