"""The request's dataloaders, created on first use."""

from functools import cached_property

from adapters.personal_data import SubjectKeyring
from persistence.db import SessionFactory
from resolvers.governance.loaders import PermissionsByUserIdLoader, RolesByUserIdLoader
from resolvers.identity.loaders import KycByUserIdLoader, UserByIdLoader
from resolvers.payments.loaders import (
    AccountsByOwnerIdLoader,
    OwnershipsByVehicleIdLoader,
    TransactionsByAccountIdLoader,
)


class Loaders:
    def __init__(self, session_factory: SessionFactory, keyring: SubjectKeyring) -> None:
        self._session_factory = session_factory
        self._keyring = keyring

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
    def accounts_by_owner_id(self) -> AccountsByOwnerIdLoader:
        return AccountsByOwnerIdLoader(self._session_factory)

    @cached_property
    def transactions_by_account_id(self) -> TransactionsByAccountIdLoader:
        return TransactionsByAccountIdLoader(self._session_factory)

    @cached_property
    def ownerships_by_vehicle_id(self) -> OwnershipsByVehicleIdLoader:
        return OwnershipsByVehicleIdLoader(self._session_factory)
