"""The role names the code refers to are the ones the catalogue migration seeds."""

import ast
from pathlib import Path

from domain.governance import roles

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE_MIGRATION = (
    ROOT / "persistence" / "migrations" / "versions" / "0006_governance_role_catalogue.py"
)


def seeded_catalogue() -> dict[str, tuple[str, bool, list[str]]]:
    """Reads CATALOGUE from the migration's source without importing alembic."""
    module = ast.parse(CATALOGUE_MIGRATION.read_text(encoding="utf-8"))
    for node in module.body:
        if isinstance(node, ast.Assign) and [
            target.id for target in node.targets if isinstance(target, ast.Name)
        ] == ["CATALOGUE"]:
            return ast.literal_eval(node.value)  # type: ignore[no-any-return]
    raise AssertionError("the migration defines no CATALOGUE")


def role_constants() -> dict[str, str]:
    return {name: value for name, value in vars(roles).items() if name.isupper()}


def test_every_role_the_code_names_is_seeded_and_every_seeded_role_is_named() -> None:
    assert sorted(role_constants().values()) == sorted(seeded_catalogue())
