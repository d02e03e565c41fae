"""The four subgraphs compose with a stock federation composer into `schema.graphql`'s API."""

import re
from pathlib import Path

import pytest

from schema import CONTEXTS
from schema.export import PUBLIC_SCHEMA, SUBGRAPHS
from tests.support.federation import CompositionError, compose_public_sdl, normalize_sdl


def subgraph_files() -> list[Path]:
    return [SUBGRAPHS / f"{context}.graphql" for context in CONTEXTS]


def test_subgraphs_compose_into_the_public_schema() -> None:
    supergraph_api = compose_public_sdl(subgraph_files())

    assert supergraph_api == normalize_sdl(PUBLIC_SCHEMA.read_text())


def test_the_user_entity_is_shared_across_contexts() -> None:
    entity = re.compile(r'type User\b[^{]*@key\(fields: "id"\)')
    owners = [path.stem for path in subgraph_files() if entity.search(path.read_text())]

    assert owners == ["identity", "payments", "governance", "compliance"]


def test_a_conflicting_subgraph_fails_composition(tmp_path: Path) -> None:
    rogue = tmp_path / "rogue.graphql"
    rogue.write_text(
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])\n'
        'type User @key(fields: "id") { id: ID! email: Int! }\n'
        "type Query { rogue: User }\n"
    )

    with pytest.raises(CompositionError):
        compose_public_sdl([*subgraph_files(), rogue])
