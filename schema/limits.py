"""Structural limits on a GraphQL document, per principal kind, checked on the syntax tree
before validation and before any resolver runs: tokens (while parsing), depth, aliases and
directives per field; list sizes (`first`) and cost once the document is valid."""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSyntaxError,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    TokenKind,
    parse,
)
from graphql.language.lexer import Lexer
from graphql.language.source import Source

from domain.shared.errors import ErrorCode
from schema.errors import CodedError

if TYPE_CHECKING:
    from server.settings import QueryLimits


class QueryTooComplex(CodedError):
    code = ErrorCode.QUERY_TOO_COMPLEX

    def __init__(self, what: str, limit: int, measured: int) -> None:
        super().__init__(
            f"The operation's {what} is {measured}, over the limit of {limit}",
            limit=limit,
            measured=measured,
            measure=what,
        )


@lru_cache(maxsize=1024)
def parse_within(query: str, max_tokens: int) -> DocumentNode:
    """Parses at most `max_tokens` tokens (graphql-core stops there); a longer document is
    QUERY_TOO_COMPLEX with its full token count."""
    try:
        return parse(query, max_tokens=max_tokens)
    except GraphQLSyntaxError as error:
        if "Document contains more than" in error.message:
            raise QueryTooComplex("token count", max_tokens, count_tokens(query)) from None
        raise


def count_tokens(query: str) -> int:
    lexer = Lexer(Source(query))
    count = 0
    try:
        while lexer.advance().kind is not TokenKind.EOF:
            count += 1
    except GraphQLSyntaxError:
        pass
    return count


@dataclass(frozen=True)
class DocumentShape:
    depth: int
    aliases: int
    directives_per_field: int


def check_shape(document: DocumentNode, limits: "QueryLimits") -> None:
    shape = measure_shape(document)
    for what, measured, limit in (
        ("depth", shape.depth, limits.max_depth),
        ("alias count", shape.aliases, limits.max_aliases),
        ("directives on one field", shape.directives_per_field, limits.max_directives_per_field),
    ):
        if measured > limit:
            raise QueryTooComplex(what, limit, measured)


def measure_shape(document: DocumentNode) -> DocumentShape:
    """Depth counts the fields on the deepest path (`{ me { id } }` is 2), fragments spread
    in; a fragment already on the path is not entered again (validation refuses cycles)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    depth = max((_depth(op.selection_set, fragments, frozenset()) for op in operations), default=0)
    fields = list(_all_fields(document))
    return DocumentShape(
        depth=depth,
        aliases=sum(1 for field in fields if field.alias is not None),
        directives_per_field=max((len(field.directives or ()) for field in fields), default=0),
    )


def _depth(
    selections: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    entered: frozenset[str],
) -> int:
    deepest = 0
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            inner = selection.selection_set
            below = _depth(inner, fragments, entered) if inner else 0
            deepest = max(deepest, 0 if selection.name.value.startswith("__") else 1 + below)
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, _depth(selection.selection_set, fragments, entered))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in entered:
                deepest = max(deepest, _depth(fragment.selection_set, fragments, entered | {name}))
    return deepest


def _all_fields(node: Node) -> Iterator[FieldNode]:
    """Every field node written in the document (each occurrence once)."""
    if isinstance(node, FieldNode):
        yield node
    for key in node.keys:
        child = getattr(node, key, None)
        children = child if isinstance(child, tuple | list) else (child,)
        for item in children:
            if isinstance(item, Node):
                yield from _all_fields(item)
