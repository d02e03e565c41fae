"""Trusted documents: the operations of our own clients, registered by their SHA-256.

Requests follow Apollo's automatic-persisted-queries protocol
(`extensions.persistedQuery: {version: 1, sha256Hash}`), except that nothing a client
sends is ever registered: the only registered documents are the manifest's, which
codegen writes from `clients/portal` (`make trusted-documents`). A hash with the text
of a document not in the manifest is a free-form document like any other."""

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson
import structlog
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage

from auth.principal import Principal, PrincipalKind
from domain.shared.errors import ErrorCode
from server.errors import RequestRejected
from server.settings import Settings, TrustedDocumentsMode

log = structlog.get_logger(__name__)

DEFAULT_MANIFEST = Path(__file__).with_name("trusted_documents.json")
HASH_PREFIX = "sha256:"  # codegen writes its keys so; the protocol sends the bare digest
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
NO_STORE = {"cache-control": "private, no-cache, must-revalidate"}  # as Apollo Server


def sha256_hex(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


class TrustedDocuments:
    """The registry: hex SHA-256 of a document's exact text -> that text."""

    def __init__(self, documents: Mapping[str, str]) -> None:
        self._documents = dict(documents)

    @classmethod
    def load(cls, path: Path) -> "TrustedDocuments":
        """Reads a manifest `{"sha256:<hex>" | "<hex>": document}`; refuses one whose key
        is not the hash of its document."""
        manifest = orjson.loads(path.read_bytes())
        if not isinstance(manifest, dict):
            raise ValueError(f"{path}: a trusted documents manifest is a JSON object")
        documents: dict[str, str] = {}
        for key, document in manifest.items():
            digest = key.removeprefix(HASH_PREFIX)
            if not isinstance(document, str) or sha256_hex(document) != digest:
                raise ValueError(f"{path}: {key} is not the SHA-256 of its document")
            documents[digest] = document
        return cls(documents)

    def get(self, sha256_hash: str) -> str | None:
        return self._documents.get(sha256_hash)

    def __contains__(self, sha256_hash: object) -> bool:
        return sha256_hash in self._documents

    def __len__(self) -> int:
        return len(self._documents)


class TrustedDocumentsPolicy:
    """Turns a request's `query` and `extensions` into the document to run, or refuses it
    (`RequestRejected`) before anything executes."""

    def __init__(self, mode: TrustedDocumentsMode, documents: TrustedDocuments) -> None:
        self.mode = mode
        self.documents = documents

    @classmethod
    def from_settings(cls, settings: Settings) -> "TrustedDocumentsPolicy":
        mode = settings.trusted_documents
        if mode is TrustedDocumentsMode.OFF:
            return cls(mode, TrustedDocuments({}))
        path = settings.trusted_documents_manifest or DEFAULT_MANIFEST
        documents = TrustedDocuments.load(path)
        log.info("trusted_documents_loaded", mode=mode.value, path=str(path), count=len(documents))
        return cls(mode, documents)

    def resolve(
        self, query: str | None, extensions: Mapping[str, Any] | None, principal: Principal
    ) -> str | None:
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is not None:
            sha256_hash = self._requested_hash(persisted)
            if query is None:
                return self._registered(sha256_hash)
            if sha256_hex(query) != sha256_hash:
                raise _rejected(400, "provided sha does not match query", ErrorCode.BAD_REQUEST)
            if sha256_hash in self.documents:
                return query
        if query is not None and not self._may_send_free_form(principal):
            raise _rejected(
                400,
                "Only registered documents are accepted from browser sessions: send "
                "extensions.persistedQuery.sha256Hash, or use an API key for ad-hoc queries",
                ErrorCode.PERSISTED_QUERY_REQUIRED,
            )
        return query

    def _requested_hash(self, persisted: object) -> str:
        if self.mode is TrustedDocumentsMode.OFF:
            raise _rejected(
                200, "PersistedQueryNotSupported", ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED
            )
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise _rejected(400, "Unsupported persisted query version", ErrorCode.BAD_REQUEST)
        sha256_hash = persisted.get("sha256Hash")
        if not isinstance(sha256_hash, str):
            raise _rejected(400, "persistedQuery needs a sha256Hash", ErrorCode.BAD_REQUEST)
        sha256_hash = sha256_hash.removeprefix(HASH_PREFIX).lower()
        if not SHA256_HEX.match(sha256_hash):
            raise _rejected(400, "sha256Hash is not a SHA-256 digest", ErrorCode.BAD_REQUEST)
        return sha256_hash

    def _registered(self, sha256_hash: str) -> str:
        document = self.documents.get(sha256_hash)
        if document is None:
            raise _rejected(200, "PersistedQueryNotFound", ErrorCode.PERSISTED_QUERY_NOT_FOUND)
        return document

    def _may_send_free_form(self, principal: Principal) -> bool:
        if self.mode is not TrustedDocumentsMode.REQUIRE_FOR_BROWSERS:
            return True
        return principal.kind is PrincipalKind.API_KEY


class TrustedDocumentsWSHandler(BaseGraphQLTransportWSHandler[Any, None]):
    """graphql-transport-ws with the same policy: a `subscribe` payload may carry
    `extensions.persistedQuery`; a refusal is that operation's `error` message."""

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        payload: Any = message["payload"]
        if self.connection_acknowledged and isinstance(payload, dict):
            policy: TrustedDocumentsPolicy = self.view.trusted_documents  # type: ignore[attr-defined]
            try:
                query = policy.resolve(
                    payload.get("query"), payload.get("extensions"), self.context.principal
                )
            except RequestRejected as rejected:
                error = {"message": rejected.message, "extensions": {"code": rejected.code}}
                await self.send_message({"id": message["id"], "type": "error", "payload": [error]})
                return
            if query is not None:
                payload["query"] = query
        await super().handle_subscribe(message)


def _rejected(status_code: int, message: str, code: ErrorCode) -> RequestRejected:
    """200 for the persisted-query errors a client answers by retrying with the text
    (as Apollo Server: they must not look like failures to caches and retry logic)."""
    return RequestRejected(status_code, message, code.value, NO_STORE if status_code == 200 else {})
