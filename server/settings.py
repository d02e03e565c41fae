from enum import StrEnum
from pathlib import Path

from pydantic import AliasChoices, BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from auth.principal import PrincipalKind
from persistence.db import to_asyncpg_url


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class QueryLimits(BaseModel):
    """One principal kind's limits (settings: `ELCORP_QUERY_LIMITS_<KIND>` as JSON)."""

    max_depth: int = Field(default=10, ge=1)
    max_aliases: int = Field(default=15, ge=0)
    max_tokens: int = Field(default=2_000, ge=1)
    max_directives_per_field: int = Field(default=3, ge=0)
    max_cost: int = Field(default=5_000, ge=1, description="Most a single operation may cost")
    budget_maximum: int = Field(default=20_000, ge=1, description="Cost a bucket holds when full")
    budget_restore_rate: int = Field(default=1_000, ge=1, description="Cost restored per second")


class TrustedDocumentsMode(StrEnum):
    """What `/graphql` accepts besides the registered documents of our own clients."""

    OFF = "off"  # persisted-query hashes are not supported; free-form documents run
    ALLOW = "allow"  # registered hashes and free-form documents run
    REQUIRE_FOR_BROWSERS = "require-for-browsers"  # free-form only with an API key


class Introspection(StrEnum):
    """Who may introspect the schema and read field suggestions in error messages."""

    AUTO = "auto"  # everyone outside production; in production only authenticated callers
    ON = "on"  # everyone
    OFF = "off"  # nobody (`__typename` always works)


SECRET_FIELDS = (
    "jwt_signing_key",
    "master_encryption_key",
    "webhook_signing_key",
    "audit_checkpoint_key",
    "gateway_callback_secret",
)


class Settings(BaseSettings):
    """Every knob, from `ELCORP_*` variables (plus `DATABASE_URL`, `REDIS_URL`)."""

    model_config = SettingsConfigDict(env_prefix="ELCORP_", extra="ignore")

    env: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path(".data")
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "ELCORP_DATABASE_URL")
    )
    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("REDIS_URL", "ELCORP_REDIS_URL")
    )
    host: str = "127.0.0.1"
    subgraph: str | None = None
    port: int = 8000
    log_level: str = "INFO"
    log_json: bool = True

    workers: int = Field(default=1, ge=1, description="uvicorn worker processes of `serve`")
    release: str | None = Field(default=None, description="Version reported to Sentry and traces")

    db_pool_size: int = Field(default=10, description="Connections each worker process keeps")
    db_max_overflow: int = Field(default=10, description="Extra connections a worker may open")
    db_statement_timeout_ms: int = 5_000
    slow_query_ms: float = Field(
        default=100, ge=0, description="SQL statements slower than this are logged and counted"
    )
    otel_exporter_otlp_endpoint: str | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "OTEL_EXPORTER_OTLP_ENDPOINT", "ELCORP_OTEL_EXPORTER_OTLP_ENDPOINT"
        ),
        description="OTLP/HTTP collector base URL (spans go to <url>/v1/traces); unset: no tracing",
    )
    trace_sample_ratio: float = Field(
        default=0.05,
        ge=0,
        le=1,
        description="Share of requests traced (unless the caller's traceparent decides)",
    )
    sentry_dsn: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SENTRY_DSN", "ELCORP_SENTRY_DSN")
    )
    sentry_traces_sample_rate: float = Field(
        default=0.0, ge=0, le=1, description="Sentry performance tracing (off: use OpenTelemetry)"
    )
    max_body_bytes: int = 1_000_000
    max_query_bytes: int = Field(
        default=20_000,
        description="A longer GraphQL document (POST body, GET query string or WebSocket "
        "subscribe) is refused before it is parsed",
    )
    request_timeout_s: float = Field(
        default=15.0,
        description="A GraphQL query or mutation over HTTP running longer is cancelled "
        "(SERVICE_UNAVAILABLE); subscriptions are not limited",
    )
    introspection: Introspection = Introspection.AUTO
    ws_init_timeout_s: float = Field(
        default=5.0, description="A WebSocket without `connection_init` by then closes (4408)"
    )
    ws_max_subscriptions: int = Field(
        default=20, ge=1, description="Operations one WebSocket may run at once (else 4429)"
    )
    graphiql: bool | None = None
    trusted_documents: TrustedDocumentsMode = Field(
        default=TrustedDocumentsMode.ALLOW,
        description="off, allow, or require-for-browsers: sessions and anonymous callers may "
        "only send registered documents (by hash), API keys may still send any",
    )
    trusted_documents_manifest: Path | None = Field(
        default=None,
        description="The manifest (sha256 -> document); default: server/trusted_documents.json",
    )
    in_process_dispatcher: bool | None = None
    outbox_batch_size: int = 100
    outbox_poll_interval_s: float = 0.5
    outbox_max_attempts: int = 12
    money_lock_wait_s: float = Field(
        default=30.0,
        description="How long a money command may queue on a busy account before it is "
        "refused with SERVICE_UNAVAILABLE (nothing done)",
    )
    webhooks_allow_private: bool = Field(
        default=False,
        description="Let webhooks reach private and loopback addresses over plain HTTP "
        "(development and tests only)",
    )
    webhook_timeout_s: float = 10.0
    webhook_failure_limit: int = Field(
        default=10, description="Consecutive failed attempts that disable an endpoint"
    )
    webhook_batch_size: int = 50
    webhook_concurrency: int = 10
    webhook_poll_interval_s: float = 1.0
    audit_checkpoint_interval_s: int = Field(
        default=3_600, description="How often the audit log's head is signed"
    )
    audit_checkpoint_retired_keys: list[str] = Field(
        default_factory=list,
        description="Public keys (PEM) of checkpoint keys used before a rotation",
    )
    retention_interval_s: int = Field(default=3_600, description="How often retention runs")
    retention_batch_size: int = Field(
        default=1_000, description="Rows a retention batch deletes in one short transaction"
    )
    retention_session_days: int = Field(
        default=90, description="Sessions (and refresh tokens) go this long after they ended"
    )
    retention_one_time_token_days: int = Field(
        default=7, description="Used or expired one-time codes go this long after"
    )
    retention_idempotency_hours: int = Field(
        default=24, description="Idempotency records (and so replays) last this long"
    )
    retention_webhook_delivery_days: int = Field(
        default=30, description="Finished webhook deliveries and their attempts go after this"
    )
    retention_outbox_days: int = Field(
        default=30, description="Dispatched outbox rows go this long after dispatch"
    )
    retention_ended_service_request_days: int = Field(
        default=730,
        description="A closed or cancelled service request loses its free text this long after",
    )
    live_recheck_s: float = Field(
        default=15.0, description="A quiet subscription re-checks its listener this often"
    )

    password_time_cost: int = 2
    password_memory_kib: int = 65_536
    password_parallelism: int = 2
    refresh_token_days: int = 30
    email_token_minutes: int = 30
    login_max_failures: int = 5
    login_failure_window_s: int = 15 * 60
    login_ip_limit_per_minute: int = 30
    public_lookup_limit_per_minute: int = Field(
        default=60, description="Anonymous-friendly lookups (vinStatus, weekly counts) per IP"
    )
    sla_check_interval_s: int = Field(
        default=60,
        description="How often the sla_check job looks for at-risk and breached requests",
    )
    sla_at_risk_percent: int = Field(
        default=80, ge=1, le=99, description="Share of an SLA target used that makes it at risk"
    )
    sla_alert_mailbox: str = Field(
        default="support@elcorp.na", description="Gets SLA alerts of unassigned requests"
    )
    service_request_reopen_days: int = Field(
        default=7, ge=0, description="A resolved request may be reopened this long"
    )
    smtp_url: str | None = None
    mail_from: str = "Elcorp <no-reply@elcorp.na>"

    jwt_issuer: str = "https://api.elcorp.na"
    jwt_audience: str = "elcorp-api"
    jwt_signing_key: SecretStr | None = None
    jwt_retired_keys: list[str] = Field(
        default_factory=list,
        description="PEM keys that signed before a rotation: still verify, never sign",
    )
    master_encryption_key: SecretStr | None = None
    webhook_signing_key: SecretStr | None = None
    audit_checkpoint_key: SecretStr | None = None
    gateway_callback_secret: SecretStr | None = Field(
        default=None, description="HMAC key the sandbox gateway signs its callbacks with"
    )
    gateway_callback_tolerance_s: int = 300
    settlement_statement_max_bytes: int = Field(
        default=1_000_000, description="A larger settlement statement is refused"
    )
    settlement_statement_max_lines: int = Field(
        default=50_000, description="Lines a settlement statement may hold after its header"
    )
    merchant_fee_basis_points: int = 150
    incident_breach_notification_hours: int = Field(
        default=72, description="A personal-data breach must be notified to the regulator within"
    )
    incident_deadline_warning_hours: int = Field(
        default=24, description="Alert this long before a breach's notification deadline"
    )
    incident_deadlines_interval_s: int = Field(
        default=300, description="How often the deadline job looks for alerts to raise"
    )
    report_cache_ttl_s: int = Field(
        default=60,
        description="How long a cached read (reports, merchant dashboard days, the roles' "
        "permissions) is reused",
    )
    query_limits_anonymous: QueryLimits = Field(
        default=QueryLimits(max_cost=1_000, budget_maximum=2_000, budget_restore_rate=100),
        description="Callers without credentials (budget per address)",
    )
    query_limits_user: QueryLimits = Field(
        default=QueryLimits(), description="Signed-in users (budget per user)"
    )
    query_limits_api_key: QueryLimits = Field(
        default=QueryLimits(budget_maximum=10_000, budget_restore_rate=500),
        description="Partner API keys (budget per key)",
    )
    query_default_list_size: int = Field(
        default=10, ge=1, description="Items a list without `@listSize` is assumed to hold"
    )

    def query_limits(self, kind: PrincipalKind) -> QueryLimits:
        return {
            PrincipalKind.ANONYMOUS: self.query_limits_anonymous,
            PrincipalKind.USER: self.query_limits_user,
            PrincipalKind.API_KEY: self.query_limits_api_key,
        }[kind]

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def graphiql_enabled(self) -> bool:
        return self.graphiql if self.graphiql is not None else not self.is_production

    def allows_introspection(self, *, authenticated: bool) -> bool:
        """Introspection and "Did you mean …" suggestions, for this kind of caller."""
        if self.introspection is Introspection.AUTO:
            return authenticated or not self.is_production
        return self.introspection is Introspection.ON

    @property
    def runs_in_process_dispatcher(self) -> bool:
        if self.in_process_dispatcher is not None:
            return self.in_process_dispatcher
        return self.env is Environment.DEVELOPMENT

    @property
    def resolved_database_url(self) -> str:
        if self.database_url is None:
            raise RuntimeError("DATABASE_URL is not resolved yet (embedded server not started)")
        return to_asyncpg_url(self.database_url)

    @property
    def resolved_redis_url(self) -> str:
        if self.redis_url is None:
            raise RuntimeError("REDIS_URL is not resolved yet (embedded server not started)")
        return self.redis_url

    def missing_secrets(self) -> list[str]:
        return [name for name in SECRET_FIELDS if getattr(self, name) is None]
