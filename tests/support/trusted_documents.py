"""Sends operations as the portal does: by the hash of a registered document."""

import json
from typing import Any

import httpx
from graphql import OperationDefinitionNode, parse

from server.trusted_documents import DEFAULT_MANIFEST, HASH_PREFIX
from tests.support.graphql import GraphQLResponse


def registered_documents() -> dict[str, str]:
    """The committed manifest: hex SHA-256 -> document."""
    manifest = json.loads(DEFAULT_MANIFEST.read_text())
    return {key.removeprefix(HASH_PREFIX): document for key, document in manifest.items()}


def operation_name(document: str) -> str | None:
    (operation,) = parse(document).definitions
    assert isinstance(operation, OperationDefinitionNode)
    return operation.name.value if operation.name else None


def registered_hash(name: str) -> str:
    """The hash of the portal's operation called `name` (e.g. "PortalMe")."""
    (digest,) = [
        digest
        for digest, document in registered_documents().items()
        if operation_name(document) == name
    ]
    return digest


def persisted_query(sha256_hash: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256_hash}}


async def post(
    http: httpx.AsyncClient,
    body: dict[str, Any],
    *,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> GraphQLResponse:
    sent = {"content-type": "application/json", **(headers or {})}
    if token is not None:
        sent["authorization"] = f"Bearer {token}"
    response = await http.post("/graphql", json=body, headers=sent)
    return GraphQLResponse(response.status_code, response.json())


async def send_registered(
    http: httpx.AsyncClient,
    sha256_hash: str,
    variables: dict[str, Any] | None = None,
    **credentials: Any,
) -> GraphQLResponse:
    body = {"variables": variables or {}, "extensions": persisted_query(sha256_hash)}
    return await post(http, body, **credentials)
