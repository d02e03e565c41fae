from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from redis.asyncio import Redis
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from adapters.checkpoint_keys import Ed25519CheckpointKeys
from adapters.cost_budget import CostBudgets
from adapters.live_events import LiveEventHub
from adapters.personal_data import SubjectKeyring
from adapters.report_cache import ReportCache
from auth.middleware import Authenticator
from auth.principal import Principal
from auth.rate_limit import PerMinuteLimit
from auth.tokens import TokenService
from domain.compliance.data_subject_service import DataSubjectRightsService
from domain.compliance.incident_service import IncidentService
from domain.governance.role_service import RoleAdministrationService
from domain.governance.service_request_service import ServiceRequestService
from domain.governance.sla_service import SlaService
from domain.identity.api_keys import ApiKeyService
from domain.identity.authentication import AuthenticationService
from domain.identity.kyc_service import KycService
from domain.identity.mfa import MfaService
from domain.identity.passwords import PasswordService
from domain.identity.registration import RegistrationService
from domain.identity.service import UserService
from domain.payments.merchants import MerchantService
from domain.payments.reconciliation_service import ReconciliationService
from domain.payments.service import PaymentsService
from domain.payments.vehicles import VehicleService
from domain.payments.webhook_service import WebhookService
from domain.shared.clock import Clock
from persistence.db import SessionFactory
from persistence.payments.webhooks import WebhookSecrets
from persistence.uow import SYSTEM, Actor, UnitOfWork
from resolvers.loaders import Loaders

if TYPE_CHECKING:
    from server.settings import Settings


@dataclass(frozen=True)
class Services:
    """Process-wide collaborators, built once by `server.bootstrap`."""

    settings: "Settings"
    session_factory: SessionFactory
    read_session_factory: SessionFactory
    redis: Redis
    clock: Clock
    tokens: TokenService
    authenticator: Authenticator
    users: UserService
    registration: RegistrationService
    authentication: AuthenticationService
    mfa: MfaService
    passwords: PasswordService
    api_keys: ApiKeyService
    keyring: SubjectKeyring
    kyc: KycService
    payments: PaymentsService
    merchants: MerchantService
    vehicles: VehicleService
    role_administration: RoleAdministrationService
    service_requests: ServiceRequestService
    sla: SlaService
    reconciliation: ReconciliationService
    public_lookups: PerMinuteLimit
    live_events: LiveEventHub
    webhooks: WebhookService
    webhook_secrets: WebhookSecrets
    checkpoint_keys: Ed25519CheckpointKeys
    incidents: IncidentService
    report_cache: ReportCache
    cost_budgets: CostBudgets
    data_subject_rights: DataSubjectRightsService

    def unit_of_work(self, actor: Actor = SYSTEM) -> UnitOfWork:
        return UnitOfWork(
            self.session_factory, self.clock, actor, self.keyring, self.webhook_secrets
        )


@dataclass
class Context:
    services: Services
    principal: Principal
    request_id: str
    client_ip: str | None
    request: Request | WebSocket | None = None
    response: Response | None = None
    connection_params: dict[str, object] | None = None

    @cached_property
    def loaders(self) -> Loaders:
        services = self.services
        return Loaders(
            services.read_session_factory,
            services.keyring,
            services.webhook_secrets,
            self.principal,
        )

    def refresh(self, principal: Principal) -> None:
        """A long-lived (subscription) context before its next event: the principal as
        now re-checked, and loaders that cache nothing from earlier events."""
        self.principal = principal
        self.__dict__.pop("loaders", None)

    def uow(self) -> UnitOfWork:
        actor = Actor(self.principal.audit_name, self.request_id, self.client_ip)
        return self.services.unit_of_work(actor)
