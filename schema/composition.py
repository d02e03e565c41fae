"""Composes the context subgraphs into the server's one schema, in-process.

An entity several contexts define (e.g. `User`) becomes one GraphQL type with one
merged field list (owner's fields first). Objects of any of its classes resolve it:
fields the owner defines load the owner's object through its `resolve_reference`
when they are given another context's key-only stub; contributed fields only use
the key. See ARCHITECTURE.md, "Composition".
"""

import copy
import dataclasses
import inspect
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from types import ModuleType
from typing import Any

from graphql import GraphQLResolveInfo
from strawberry.extensions import FieldExtension
from strawberry.types import Info
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

KEY_FIELDS = frozenset({"id"})


class ResolveOnOwner(FieldExtension):
    """Runs an owner's field on the owner's object, loading it when given a stub."""

    def __init__(self, owner: type) -> None:
        self.owner = owner

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        if isinstance(source, self.owner):
            return next_(source, info, **kwargs)
        return self._resolve_on_loaded(source, info, kwargs)

    async def resolve_async(
        self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        if isinstance(source, self.owner):
            return await next_(source, info, **kwargs)
        return await self._resolve_on_loaded(source, info, kwargs)

    async def _resolve_on_loaded(self, stub: Any, info: Info, kwargs: dict[str, Any]) -> Any:
        loaded = await self.owner.resolve_reference(info=info, id=stub.id)  # type: ignore[attr-defined]
        if loaded is None:
            return None
        field = info._field
        resolver = field.base_resolver
        if resolver is None:
            return getattr(loaded, field.python_name)
        arguments = dict(kwargs)
        if resolver.info_parameter is not None:
            arguments[resolver.info_parameter.name] = info
        result = resolver.wrapped_func(loaded, **arguments)
        return await result if inspect.isawaitable(result) else result


def definition(cls: type) -> StrawberryObjectDefinition:
    return cls.__strawberry_definition__  # type: ignore[attr-defined,no-any-return]


def merge_entities(modules: Sequence[ModuleType]) -> None:
    """Gives every class of a multiply-defined entity the same merged definition."""
    classes_by_name: dict[str, list[type]] = defaultdict(list)
    owners: dict[str, type] = {}
    for module in modules:
        for cls in module.TYPES:
            classes_by_name[definition(cls).name].append(cls)
        for cls in module.OWNED_ENTITIES:
            owners[definition(cls).name] = cls
    for name, classes in classes_by_name.items():
        if len(classes) < 2:
            continue
        owner = owners.get(name)
        if owner is None:
            raise TypeError(f"entity {name} is defined by several contexts but owned by none")
        _merge(owner, classes)


def _merge(owner: type, classes: list[type]) -> None:
    owner_definition = definition(owner)
    fields = [_owner_field(field, owner) for field in owner_definition.fields]
    taken = {field.python_name for field in fields}
    for cls in classes:
        for field in definition(cls).fields:
            if field.python_name not in taken:
                fields.append(field)
                taken.add(field.python_name)
    all_classes = tuple(classes)

    def is_type_of(obj: Any, _info: GraphQLResolveInfo) -> bool:
        return isinstance(obj, all_classes)

    for cls in classes:
        cls.__strawberry_definition__ = dataclasses.replace(  # type: ignore[attr-defined]
            owner_definition,
            origin=cls,
            fields=list(fields),
            is_type_of=is_type_of,
        )


def _owner_field(field: StrawberryField, owner: type) -> StrawberryField:
    if field.python_name in KEY_FIELDS:
        return field
    merged = copy.copy(field)
    merged.extensions = [*field.extensions, ResolveOnOwner(owner)]
    return merged


def root_types(modules: Iterable[ModuleType], attribute: str) -> tuple[type, ...]:
    return tuple(getattr(module, attribute) for module in modules if getattr(module, attribute))
