"""The in-process composer: one merged type per shared entity, resolvable from any context."""

import types
import warnings

import strawberry
from strawberry.types import Info

from schema.composition import merge_entities, root_types

LOADED: list[str] = []


def build_toy_contexts() -> tuple[types.ModuleType, types.ModuleType]:
    @strawberry.federation.type(keys=["id"])
    class Person:
        id: strawberry.ID
        name: str

        @strawberry.field
        def shout(self, info: Info, times: int = 1) -> str:
            return self.name.upper() * times

        @strawberry.field
        async def greeting(self) -> str:
            return f"hello {self.name}"

        @classmethod
        async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Person":
            LOADED.append(str(id))
            return cls(id=id, name=f"person {id}")

    @strawberry.type(name="Query")
    class OwnerQuery:
        @strawberry.field
        def person(self) -> Person:
            return Person(id=strawberry.ID("1"), name="ada")

    @strawberry.federation.type(keys=["id"], name="Person")
    class PersonStub:
        id: strawberry.ID

        @strawberry.field
        def badge(self) -> str:
            return f"badge-{self.id}"

    @strawberry.type(name="Query")
    class ContributorQuery:
        @strawberry.field
        def stub(self) -> PersonStub:
            return PersonStub(id=strawberry.ID("2"))

    owner = types.ModuleType("owner")
    owner.QUERY, owner.TYPES, owner.OWNED_ENTITIES = OwnerQuery, [Person], [Person]  # type: ignore[attr-defined]
    contributor = types.ModuleType("contributor")
    contributor.QUERY, contributor.TYPES, contributor.OWNED_ENTITIES = (
        ContributorQuery,
        [PersonStub],
        [],
    )  # type: ignore[attr-defined]
    return owner, contributor


async def test_owner_and_contributed_fields_resolve_on_either_class() -> None:
    modules = build_toy_contexts()
    merge_entities(modules)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        schema = strawberry.Schema(
            query=strawberry.tools.merge_types("Query", root_types(modules, "QUERY")),
            config=strawberry.schema.config.StrawberryConfig(
                _unsafe_disable_same_type_validation=True
            ),
        )
    LOADED.clear()

    result = await schema.execute(
        "{ person { id name shout(times: 2) greeting badge } stub { id name shout greeting badge } }"
    )

    assert result.errors is None
    assert result.data == {
        "person": {
            "id": "1",
            "name": "ada",
            "shout": "ADAADA",
            "greeting": "hello ada",
            "badge": "badge-1",
        },
        "stub": {
            "id": "2",
            "name": "person 2",
            "shout": "PERSON 2",
            "greeting": "hello person 2",
            "badge": "badge-2",
        },
    }
    assert LOADED == ["2", "2", "2"]
    assert list(schema._schema.type_map["Person"].fields) == [
        "id",
        "name",
        "shout",
        "greeting",
        "badge",
    ]
