"""The request's dataloaders, created on first use."""

from functools import cached_property

from persistence.db import SessionFactory
from resolvers.governance.loaders import RolesByUserIdLoader
from resolvers.identity.loaders import UserByIdLoader


class Loaders:
    def __init__(self, session_factory: SessionFactory) -> None:
        self._session_factory = session_factory

    @cached_property
    def user_by_id(self) -> UserByIdLoader:
        return UserByIdLoader(self._session_factory)

    @cached_property
    def roles_by_user_id(self) -> RolesByUserIdLoader:
        return RolesByUserIdLoader(self._session_factory)
