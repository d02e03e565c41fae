from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class PrincipalKind(StrEnum):
    ANONYMOUS = "anonymous"
    USER = "user"
    API_KEY = "api_key"


@dataclass(frozen=True, kw_only=True)
class Principal:
    kind: PrincipalKind
    subject_id: UUID | None = None
    session_id: str | None = None
    api_key_id: UUID | None = None
    token_id: str | None = None
    token_expires_at: datetime | None = None
    permissions: frozenset[str] = field(default_factory=frozenset)
    auth_methods: tuple[str, ...] = ()
    authenticated_at: datetime | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.kind is not PrincipalKind.ANONYMOUS

    @property
    def audit_name(self) -> str:
        if self.api_key_id is not None:
            return f"api_key:{self.api_key_id}"
        return "anonymous" if self.subject_id is None else f"{self.kind.value}:{self.subject_id}"

    @property
    def has_user_session(self) -> bool:
        return self.kind is PrincipalKind.USER and self.session_id is not None

    def has_any_scope_set(self, scope_sets: Sequence[Sequence[str]]) -> bool:
        """Federation `@requiresScopes` semantics: any one set, all scopes within it."""
        return any(all(scope in self.permissions for scope in scopes) for scopes in scope_sets)


ANONYMOUS = Principal(kind=PrincipalKind.ANONYMOUS)
