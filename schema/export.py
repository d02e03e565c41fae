"""The SDL files: `schema.graphql` (public API of the composition) and one per subgraph."""

import warnings
from pathlib import Path

from graphql import GraphQLSchema, print_schema, specified_directives

from schema import CONTEXTS, composed_schema, subgraph_schema

ROOT = Path(__file__).resolve().parents[1]
PUBLIC_SCHEMA = ROOT / "schema.graphql"
SUBGRAPHS = ROOT / "schema" / "subgraphs"


def public_sdl() -> str:
    """The client-facing schema: no federation directives or `_`-prefixed types."""
    schema = composed_schema()._schema
    public = GraphQLSchema(
        query=schema.query_type,
        mutation=schema.mutation_type,
        subscription=schema.subscription_type,
        types=[
            named
            for name, named in schema.type_map.items()
            if not name.startswith("_") and name not in FEDERATION_SCALARS
        ],
        directives=specified_directives,
    )
    return print_schema(public) + "\n"


FEDERATION_SCALARS = frozenset({"_FieldSet", "link__Import", "link__Purpose"})


def subgraph_sdl(context: str) -> str:
    return subgraph_schema(context).as_str() + "\n"


def expected_files() -> dict[Path, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        files = {SUBGRAPHS / f"{context}.graphql": subgraph_sdl(context) for context in CONTEXTS}
        files[PUBLIC_SCHEMA] = public_sdl()
    return files


def write_files() -> list[Path]:
    written = []
    for path, content in expected_files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
        written.append(path)
    return written
