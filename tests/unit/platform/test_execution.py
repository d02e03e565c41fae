"""The short path for basic fields gives exactly graphql-core's data and errors, on good
values and on every kind of bad one it hands back to graphql-core."""

import asyncio
from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.execution import ExecutionContext


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Leaf:
    name: str
    colour: Colour
    size: int | None
    tags: list[str]
    loose_tags: list[str | None] | None


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Item(Named):
    name: str
    leaf: Leaf
    spare: Leaf | None
    leaves: list[Leaf]
    loose_leaves: list[Leaf | None]

    @strawberry.field
    async def shout(self) -> str:
        await asyncio.sleep(0)
        return self.name.upper()

    @strawberry.field
    async def fails(self) -> str:
        raise ValueError("required and failed")

    @strawberry.field
    def may_fail(self) -> str | None:
        raise ValueError("optional and failed")


def leaf(label: str, **changes: Any) -> Leaf:
    fields: dict[str, Any] = {
        "name": label,
        "colour": Colour.RED,
        "size": None,
        "tags": ["a", "b"],
        "loose_tags": ["x", None],
    }
    return Leaf(**{**fields, **changes})


def item(label: str, **changes: Any) -> Item:
    fields: dict[str, Any] = {
        "name": label,
        "leaf": leaf(f"{label}-leaf", size=3),
        "spare": None,
        "leaves": [leaf(f"{label}-1"), leaf(f"{label}-2", colour=Colour.BLUE)],
        "loose_leaves": [None, leaf(f"{label}-3")],
    }
    return Item(**{**fields, **changes})


GOOD = [item("one"), item("two", spare=leaf("spare"))]
BAD = [
    item("null-name", name=None),
    item("bad-enum", leaf=leaf("bad", colour="purple")),
    item("bad-int", leaf=leaf("bad", size="three")),
    item("null-in-list", leaves=[leaf("ok"), None]),
    item("null-tag", leaf=leaf("bad", tags=["a", None])),
    item("not-a-list", leaves=leaf("alone")),
    item("wrong-type", leaf=item("inner")),
    item("exception-value", leaf=ValueError("returned, not raised")),
]


@strawberry.type
class Query:
    @strawberry.field
    def good(self) -> list[Item]:
        return GOOD

    @strawberry.field
    def bad(self) -> list[Item | None]:
        return BAD

    @strawberry.field
    def bad_strict(self) -> list[Item]:
        return BAD[:1]

    @strawberry.field
    def named(self) -> list[Named]:
        return GOOD


STOCK = strawberry.Schema(Query, execution_context_class=StrawberryGraphQLCoreExecutionContext)
SHORT = strawberry.Schema(Query, execution_context_class=ExecutionContext)

SELECTION = """
  name __typename
  leaf { name colour size tags looseTags }
  spare { name }
  leaves { name colour tags }
  looseLeaves { name }
"""
DOCUMENTS = [
    f"{{ good {{ {SELECTION} }} }}",
    f"{{ bad {{ {SELECTION} }} }}",
    f"{{ badStrict {{ {SELECTION} }} }}",
    "{ good { shout n: name ...F leaf { ...L } } } fragment F on Item { name leaves { name } }"
    " fragment L on Leaf { colour tags }",
    "{ good { fails } }",
    "{ good { name mayFail leaf { name } } }",
    "{ bad { name fails } }",
    "{ named { name ... on Item { leaf { name } shout } } }",
    "query($with: Boolean!) { good { name @include(if: $with) leaf @skip(if: $with) { name } } }",
]


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("include", [True, False])
async def test_same_data_and_errors_as_graphql_core(document: str, include: bool) -> None:
    variables = {"with": include}
    stock = await STOCK.execute(document, variable_values=variables)
    short = await SHORT.execute(document, variable_values=variables)

    assert short.data == stock.data
    assert [e.formatted for e in short.errors or []] == [e.formatted for e in stock.errors or []]


async def test_bad_values_are_reported_as_graphql_core_reports_them() -> None:
    short = await SHORT.execute(f"{{ bad {{ {SELECTION} }} }}")

    assert short.data is not None
    assert sorted(error.path[1] for error in short.errors or []) == list(range(len(BAD)))
    assert [index for index, row in enumerate(short.data["bad"]) if row is not None] == [2]
    assert short.data["bad"][2]["leaf"]["size"] is None  # a nullable Int: only it is lost
