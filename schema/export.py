"""The SDL files: `schema.graphql` (public API of the composition) and one per subgraph."""

import warnings
from pathlib import Path

from graphql import DirectiveNode, DocumentNode, Node, Visitor, parse, print_ast, visit
from graphql.language.visitor import REMOVE

from schema import CONTEXTS, composed_schema, subgraph_schema

ROOT = Path(__file__).resolve().parents[1]
PUBLIC_SCHEMA = ROOT / "schema.graphql"
SUBGRAPHS = ROOT / "schema" / "subgraphs"


_ON = "on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"
_COST_ON = (
    "on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR"
)
_LIST_SIZE_ARGS = (
    "assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], "
    "requireOneSlicingArgument: Boolean = true"
)
PUBLIC_DIRECTIVES = f"""\
directive @authenticated {_ON}

directive @requiresScopes(scopes: [[String!]!]!) {_ON}

directive @policy(policies: [[String!]!]!) {_ON}

directive @cost(weight: Int!) {_COST_ON}

directive @listSize({_LIST_SIZE_ARGS}) on FIELD_DEFINITION
"""
FEDERATION_ONLY = frozenset({"key", "shareable", "external", "requires", "provides", "link"})


def public_sdl() -> str:
    """The client-facing schema with its authorization and cost directives, without federation's
    plumbing (`@key`, `@shareable`, `_`-prefixed types)."""
    document = parse(composed_schema().as_str())
    kept = [
        _without_federation_directives(definition)
        for definition in document.definitions
        if not getattr(getattr(definition, "name", None), "value", "").startswith("_")
    ]
    body = print_ast(DocumentNode(definitions=tuple(kept)))
    return f"{PUBLIC_DIRECTIVES}\n{body}\n"


def _without_federation_directives(node: Node) -> Node:
    class Strip(Visitor):
        def enter_directive(self, directive: DirectiveNode, *_: object) -> object:
            return REMOVE if directive.name.value in FEDERATION_ONLY else None

    return visit(node, Strip())  # type: ignore[no-any-return]


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
