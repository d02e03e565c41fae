"""Runs the stock composer (`@theguild/federation-composition`) on subgraph SDL files."""

import subprocess
from pathlib import Path

from graphql import build_schema, lexicographic_sort_schema, print_schema

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
    """Prints SDL the way compose.mjs does (sorted, applied directives dropped)."""
    schema = build_schema(sdl, assume_valid_sdl=True)
    return print_schema(lexicographic_sort_schema(schema)) + "\n"
