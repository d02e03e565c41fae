"""Authentication and permission checks for HTTP endpoints beside `/graphql`, exactly as
the GraphQL view authenticates: an invalid credential is 401, never silently anonymous."""

from collections.abc import Sequence

import structlog

from auth.middleware import AuthenticationFailed, AuthenticationUnavailable
from auth.principal import Principal
from schema.context import Services
from server.errors import RequestRejected

log = structlog.get_logger(__name__)


async def authenticate(services: Services, authorization: str | None) -> Principal:
    try:
        return await services.authenticator.authenticate(authorization)
    except AuthenticationFailed as failure:
        raise RequestRejected(
            401, str(failure), "UNAUTHENTICATED", {"www-authenticate": "Bearer"}
        ) from None
    except AuthenticationUnavailable:
        log.error("authentication_unavailable", exc_info=True)
        raise RequestRejected(
            503, "Authentication is temporarily unavailable", "SERVICE_UNAVAILABLE"
        ) from None


async def authorize(
    services: Services, authorization: str | None, scopes: Sequence[str]
) -> Principal:
    """The principal holding every one of `scopes`; 401 without a credential, 403 without
    the permission."""
    principal = await authenticate(services, authorization)
    if not principal.is_authenticated:
        raise RequestRejected(
            401, "Authentication required", "UNAUTHENTICATED", {"www-authenticate": "Bearer"}
        )
    if not principal.has_any_scope_set([scopes]):
        raise RequestRejected(403, f"This needs {' and '.join(scopes)}", "FORBIDDEN")
    return principal
