"""Authorization declared on the schema with federation's directives and enforced in-process."""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from strawberry import BasePermission
from strawberry.federation.schema_directives import Authenticated, Policy
from strawberry.federation.schema_directives import RequiresScopes as RequiresScopesDirective
from strawberry.permission import PermissionExtension
from strawberry.types import Info

from schema.errors import Forbidden, Unauthenticated


class IsAuthenticated(BasePermission):
    message = "Authentication required"
    _schema_directive = Authenticated()

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return bool(info.context.principal.is_authenticated)

    def on_unauthorized(self) -> None:
        raise Unauthenticated(self.message or "")


class RequiresScopes(BasePermission):
    """Any one of the scope sets, with every scope in it (federation semantics)."""

    def __init__(self, scope_sets: Sequence[Sequence[str]]) -> None:
        self._scope_sets = [list(scopes) for scopes in scope_sets]
        self._schema_directive = RequiresScopesDirective(scopes=self._scope_sets)

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = info.context.principal
        if not principal.is_authenticated:
            raise Unauthenticated("Authentication required")
        return bool(principal.has_any_scope_set(self._scope_sets))

    def on_unauthorized(self) -> None:
        raise Forbidden("Missing permission", requiredScopes=self._scope_sets)


class IsSignedIn(BasePermission):
    """A user's own session (not an API key): for session and credential management."""

    message = "This needs a signed-in user, not an API key"
    _schema_directive = Authenticated()

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = info.context.principal
        if not principal.is_authenticated:
            raise Unauthenticated("Authentication required")
        return bool(principal.has_user_session)

    def on_unauthorized(self) -> None:
        raise Forbidden(self.message or "")


def signed_in() -> list[PermissionExtension]:
    return [PermissionExtension([IsSignedIn()], use_directives=True)]


STEP_UP_WINDOW = timedelta(minutes=5)
SECOND_FACTORS = frozenset({"otp", "backup_code"})


class StepUp(BasePermission):
    """A sign-in with a second factor within the last five minutes (`@policy`)."""

    message = "Sign in again with your second factor to do this"
    _schema_directive = Policy(policies=[["step_up"]])

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = info.context.principal
        if not principal.is_authenticated:
            raise Unauthenticated("Authentication required")
        recent = principal.authenticated_at is not None and (
            info.context.services.clock.now() - principal.authenticated_at <= STEP_UP_WINDOW
        )
        return recent and bool(SECOND_FACTORS & set(principal.auth_methods))

    def on_unauthorized(self) -> None:
        raise Forbidden(self.message or "", reason="STEP_UP_REQUIRED")


def step_up(*scope_sets: Sequence[str]) -> list[PermissionExtension]:
    """A fresh second factor; with scope sets, also one of them (checked first)."""
    scopes: list[BasePermission] = [RequiresScopes(scope_sets)] if scope_sets else []
    return [PermissionExtension([*scopes, IsSignedIn(), StepUp()], use_directives=True)]


def authenticated() -> list[PermissionExtension]:
    return [PermissionExtension([IsAuthenticated()], use_directives=True)]


def requires_scopes(*scope_sets: Sequence[str]) -> list[PermissionExtension]:
    return [PermissionExtension([RequiresScopes(scope_sets)], use_directives=True)]


def signed_in_with(*scope_sets: Sequence[str]) -> list[PermissionExtension]:
    """A user's own session (never an API key) holding the scopes: for irreversible acts
    and whole-person reads."""
    return [PermissionExtension([IsSignedIn(), RequiresScopes(scope_sets)], use_directives=True)]
