"""Partner API keys: created with step-up, shown once, scoped, revocable."""

from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.identity.api_keys import CreatedApiKey
from domain.identity.model import ApiKey as DomainApiKey
from resolvers.identity import api_keys
from schema.ids import to_global_id
from schema.pagination import PAGE, Connection, connection, decode_cursor, page_size
from schema.permissions import signed_in, step_up
from schema.shared import Node, UserError, to_payload


@strawberry.type(description="A partner API key; its secret is never shown again.")
class ApiKey(Node):
    id: strawberry.ID
    name: str
    scopes: list[str]
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def from_domain(cls, key: DomainApiKey) -> "ApiKey":
        return cls(
            id=to_global_id("ApiKey", key.id),
            name=key.name,
            scopes=list(key.scopes),
            created_at=key.created_at,
            revoked_at=key.revoked_at,
        )


@strawberry.input
class CreateApiKeyInput:
    name: str
    scopes: list[str]


@strawberry.type
class CreateApiKeyPayload:
    api_key: ApiKey | None = None
    secret: str | None = strawberry.field(
        default=None, description="`Authorization: ApiKey <secret>`. Shown once; store it now."
    )
    errors: list[UserError]


@strawberry.input
class RevokeApiKeyInput:
    id: strawberry.ID


@strawberry.type
class RevokeApiKeyPayload:
    api_key: ApiKey | None = None
    errors: list[UserError]


def _created(created: CreatedApiKey) -> dict[str, object]:
    return {"api_key": ApiKey.from_domain(created.key), "secret": created.plaintext}


@strawberry.type(name="Mutation")
class ApiKeyMutation:
    @strawberry.mutation(extensions=step_up(), description="Needs a fresh second factor.")
    async def create_api_key(self, info: Info, input: CreateApiKeyInput) -> CreateApiKeyPayload:
        outcome = await api_keys.create(info, input.name, input.scopes)
        return to_payload(CreateApiKeyPayload, outcome, _created)

    @strawberry.mutation(extensions=signed_in())
    async def revoke_api_key(self, info: Info, input: RevokeApiKeyInput) -> RevokeApiKeyPayload:
        outcome = await api_keys.revoke(info, input.id)
        return to_payload(
            RevokeApiKeyPayload, outcome, lambda k: {"api_key": ApiKey.from_domain(k)}
        )


@strawberry.type(name="Query")
class ApiKeyQuery:
    @strawberry.field(
        directives=PAGE, extensions=signed_in(), description="Your API keys, newest first."
    )
    async def api_keys(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[ApiKey]:
        size = page_size(first)
        rows = await api_keys.mine(info, size + 1, decode_cursor(after))
        return connection(rows, size, lambda row: row.id, ApiKey.from_domain)
