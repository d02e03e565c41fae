"""Gates: migrations match the models, and the committed SDL files match the code."""

import asyncio

import pytest

from persistence.migrate import check
from schema.export import expected_files


async def test_migrations_match_the_models(database_url: str) -> None:
    await asyncio.to_thread(check, database_url)


@pytest.mark.parametrize("path", sorted(expected_files()), ids=lambda path: path.name)
def test_committed_schema_files_equal_the_export(path) -> None:  # type: ignore[no-untyped-def]
    expected = expected_files()[path]

    assert path.exists(), f"{path} is missing: run `make export-schema`"
    assert path.read_text() == expected, f"{path} is stale: run `make export-schema`"
