"""Gate: the committed trusted-documents manifest is codegen's, each key is the SHA-256 of
its document, and every document is valid against the schema as it is now (no node: after
a schema change that breaks the portal, run `make trusted-documents`); so are the partner
examples."""

import re
from pathlib import Path

import pytest
from graphql import OperationDefinitionNode, parse, validate

from schema import composed_schema
from server.settings import Settings, TrustedDocumentsMode
from server.trusted_documents import (
    DEFAULT_MANIFEST,
    HASH_PREFIX,
    TrustedDocuments,
    TrustedDocumentsPolicy,
    sha256_hex,
)
from tests.support.trusted_documents import registered_documents

ROOT = Path(__file__).resolve().parents[3]
PORTAL_GQL = ROOT / "clients" / "portal" / "src" / "gql"
PARTNER_EXAMPLES = sorted((ROOT / "clients" / "partner").glob("*.graphql"))
GENERATED_HASH = re.compile(r'"__meta__":\{"hash":"sha256:([0-9a-f]{64})"\}')
DOCUMENTS = registered_documents()


def test_the_server_manifest_is_the_portals() -> None:
    portal = PORTAL_GQL / "persisted-documents.json"

    assert DEFAULT_MANIFEST.read_bytes() == portal.read_bytes(), "run `make trusted-documents`"


def test_the_portal_sends_exactly_the_registered_hashes() -> None:
    generated = set(GENERATED_HASH.findall((PORTAL_GQL / "graphql.ts").read_text()))

    assert generated == set(DOCUMENTS)


def test_the_manifest_loads() -> None:
    assert len(TrustedDocuments.load(DEFAULT_MANIFEST)) == len(DOCUMENTS) > 0


@pytest.mark.parametrize("digest", sorted(DOCUMENTS), ids=lambda digest: digest[:12])
def test_a_registered_document_is_its_hash_and_valid(digest: str) -> None:
    document = DOCUMENTS[digest]
    parsed = parse(document)

    assert sha256_hex(document) == digest
    assert validate(composed_schema()._schema, parsed) == []
    (operation,) = parsed.definitions  # one named operation: a hash needs no operationName
    assert isinstance(operation, OperationDefinitionNode)
    assert operation.name is not None


@pytest.mark.parametrize("path", PARTNER_EXAMPLES, ids=lambda path: path.name)
def test_a_partner_example_is_valid(path: Path) -> None:
    assert validate(composed_schema()._schema, parse(path.read_text())) == []


def test_a_manifest_whose_key_is_not_its_hash_is_refused(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(f'{{"{HASH_PREFIX}{"0" * 64}": "{{ __typename }}"}}')
    settings = Settings(
        trusted_documents=TrustedDocumentsMode.ALLOW, trusted_documents_manifest=manifest
    )

    with pytest.raises(ValueError, match="is not the SHA-256 of its document"):
        TrustedDocumentsPolicy.from_settings(settings)
