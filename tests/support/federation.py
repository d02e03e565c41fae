"""Runs the stock composer (`@theguild/federation-composition`) on subgraph SDL files."""

import subprocess
from pathlib import Path

from graphql import (
    GraphQLSchema,
    build_schema,
    lexicographic_sort_schema,
    print_schema,
    specified_directives,
)

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "tools" / "federation" / "compose.mjs"


class CompositionError(Exception):
    pass


def compose_public_sdl(subgraph_files: list[Path]) -> str:
    completed = subprocess.run(
        ["node", str(COMPOSE), *map(str, subgraph_files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if completed.returncode != 0:
        raise CompositionError(completed.stderr)
    return completed.stdout


def normalize_sdl(sdl: str) -> str:
    """Prints an API the way compose.mjs does: sorted, directives left out."""
    schema = build_schema(sdl, assume_valid_sdl=True)
    api = GraphQLSchema(
        query=schema.query_type,
        mutation=schema.mutation_type,
        subscription=schema.subscription_type,
        types=list(schema.type_map.values()),
        directives=specified_directives,
    )
    return print_schema(lexicographic_sort_schema(api)) + "\n"
