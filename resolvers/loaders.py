"""The request's dataloaders, created on first use."""

from functools import cached_property

from adapters.personal_data import SubjectKeyring
from auth.principal import Principal
from persistence.db import SessionFactory
from persistence.payments.webhooks import WebhookSecrets
from resolvers.compliance.incident_loaders import IncidentByIdLoader, TimelineByIncidentIdLoader
from resolvers.governance.loaders import PermissionsByUserIdLoader, RolesByUserIdLoader
from resolvers.governance.request_loaders import (
    CommentsByRequestIdLoader,
    HistoryByRequestIdLoader,
    ServiceRequestByIdLoader,
)
from resolvers.identity.loaders import KycByUserIdLoader, UserByIdLoader
from resolvers.payments.loaders import (
    AccountByIdLoader,
    AccountsByOwnerIdLoader,
    AttemptsByDeliveryIdLoader,
    DeliveriesByEndpointIdLoader,
    FeedHeadByUserIdLoader,
    MerchantByIdLoader,
    MerchantDaysByMerchantIdLoader,
    MerchantsByMemberIdLoader,
    OwnershipsByVehicleIdLoader,
    PartyByAccountIdLoader,
    PaymentsByMerchantIdLoader,
    TransactionByIdLoader,
    TransactionsByAccountIdLoader,
    WebhookEndpointByIdLoader,
    WebhookEndpointsByMerchantIdLoader,
)
from resolvers.payments.reconciliation_loaders import (
    DiscrepanciesByStatementIdLoader,
    DiscrepancyByIdLoader,
    SettlementStatementByIdLoader,
    SummaryByStatementIdLoader,
)

READ_ANY_TRANSACTION = "payments:read_any"
WORKS_ON_REQUESTS = "service_requests:assign"


class Loaders:
    def __init__(
        self,
        session_factory: SessionFactory,
        keyring: SubjectKeyring,
        webhook_secrets: WebhookSecrets,
        principal: Principal,
    ) -> None:
        self._session_factory = session_factory
        self._keyring = keyring
        self._webhook_secrets = webhook_secrets
        self._principal = principal

    @cached_property
    def user_by_id(self) -> UserByIdLoader:
        return UserByIdLoader(self._session_factory, self._keyring)

    @cached_property
    def roles_by_user_id(self) -> RolesByUserIdLoader:
        return RolesByUserIdLoader(self._session_factory)

    @cached_property
    def kyc_by_user_id(self) -> KycByUserIdLoader:
        return KycByUserIdLoader(self._session_factory, self._keyring)

    @cached_property
    def permissions_by_user_id(self) -> PermissionsByUserIdLoader:
        return PermissionsByUserIdLoader(self._session_factory)

    @cached_property
    def service_request_by_id(self) -> ServiceRequestByIdLoader:
        return ServiceRequestByIdLoader(self._session_factory)

    @cached_property
    def comments_by_request_id(self) -> CommentsByRequestIdLoader:
        """Internal comments only for staff."""
        staff = WORKS_ON_REQUESTS in self._principal.permissions
        return CommentsByRequestIdLoader(self._session_factory, include_internal=staff)

    @cached_property
    def history_by_request_id(self) -> HistoryByRequestIdLoader:
        """Internal comments' history lines only for staff."""
        staff = WORKS_ON_REQUESTS in self._principal.permissions
        return HistoryByRequestIdLoader(self._session_factory, include_internal=staff)

    @cached_property
    def account_by_id(self) -> AccountByIdLoader:
        return AccountByIdLoader(self._session_factory)

    @cached_property
    def accounts_by_owner_id(self) -> AccountsByOwnerIdLoader:
        return AccountsByOwnerIdLoader(self._session_factory)

    @cached_property
    def transactions_by_account_id(self) -> TransactionsByAccountIdLoader:
        return TransactionsByAccountIdLoader(self._session_factory)

    @cached_property
    def transaction_by_id(self) -> TransactionByIdLoader:
        """Scoped to the principal: what they may not see loads as None."""
        return TransactionByIdLoader(
            self._session_factory,
            self._principal.subject_id,
            READ_ANY_TRANSACTION in self._principal.permissions,
        )

    @cached_property
    def party_by_account_id(self) -> PartyByAccountIdLoader:
        return PartyByAccountIdLoader(self._session_factory, self._keyring)

    @cached_property
    def merchant_by_id(self) -> MerchantByIdLoader:
        return MerchantByIdLoader(self._session_factory)

    @cached_property
    def merchants_by_member_id(self) -> MerchantsByMemberIdLoader:
        return MerchantsByMemberIdLoader(self._session_factory)

    @cached_property
    def payments_by_merchant_id(self) -> PaymentsByMerchantIdLoader:
        return PaymentsByMerchantIdLoader(self._session_factory)

    @cached_property
    def merchant_days_by_merchant_id(self) -> MerchantDaysByMerchantIdLoader:
        return MerchantDaysByMerchantIdLoader(self._session_factory)

    @cached_property
    def feed_head_by_user_id(self) -> FeedHeadByUserIdLoader:
        return FeedHeadByUserIdLoader(self._session_factory)

    @cached_property
    def webhook_endpoints_by_merchant_id(self) -> WebhookEndpointsByMerchantIdLoader:
        return WebhookEndpointsByMerchantIdLoader(self._session_factory, self._webhook_secrets)

    @cached_property
    def webhook_endpoint_by_id(self) -> WebhookEndpointByIdLoader:
        return WebhookEndpointByIdLoader(self._session_factory, self._webhook_secrets)

    @cached_property
    def deliveries_by_endpoint_id(self) -> DeliveriesByEndpointIdLoader:
        return DeliveriesByEndpointIdLoader(self._session_factory, self._webhook_secrets)

    @cached_property
    def attempts_by_delivery_id(self) -> AttemptsByDeliveryIdLoader:
        return AttemptsByDeliveryIdLoader(self._session_factory, self._webhook_secrets)

    @cached_property
    def ownerships_by_vehicle_id(self) -> OwnershipsByVehicleIdLoader:
        return OwnershipsByVehicleIdLoader(self._session_factory)

    @cached_property
    def settlement_statement_by_id(self) -> SettlementStatementByIdLoader:
        return SettlementStatementByIdLoader(self._session_factory)

    @cached_property
    def summary_by_statement_id(self) -> SummaryByStatementIdLoader:
        return SummaryByStatementIdLoader(self._session_factory)

    @cached_property
    def discrepancies_by_statement_id(self) -> DiscrepanciesByStatementIdLoader:
        return DiscrepanciesByStatementIdLoader(self._session_factory)

    @cached_property
    def discrepancy_by_id(self) -> DiscrepancyByIdLoader:
        return DiscrepancyByIdLoader(self._session_factory)

    @cached_property
    def incident_by_id(self) -> IncidentByIdLoader:
        return IncidentByIdLoader(self._session_factory)

    @cached_property
    def timeline_by_incident_id(self) -> TimelineByIncidentIdLoader:
        return TimelineByIncidentIdLoader(self._session_factory)
