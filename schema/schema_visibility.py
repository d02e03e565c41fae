"""Introspection and field suggestions ("Did you mean …?") only for callers who may explore
the schema (`Settings.allows_introspection`): in production, authenticated ones.

Refused introspection is a validation error (`GRAPHQL_VALIDATION_FAILED`): nothing runs.
`__typename` always works. The extra rule is part of the validation cache's key (the
document, the schema and the rules), so a result cached for one kind of caller never
answers the other; errors that come from that cache are copied, never changed."""

import re
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from graphql import FieldNode, GraphQLError, validate
from graphql.validation import NoSchemaIntrospectionCustomRule, ValidationRule
from strawberry.extensions import MaskErrors

SUGGESTION = re.compile(r" Did you mean [^?]*\?")


class NoFederationSdlRule(ValidationRule):
    """A subgraph's `_service { sdl }` is its schema in full: hidden as introspection is."""

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        parent = self.context.get_parent_type()
        if node.name.value == "_service" and parent is self.context.schema.query_type:
            self.report_error(
                GraphQLError(
                    "GraphQL introspection has been disabled, but the requested query "
                    "contained the field '_service'.",
                    node,
                )
            )


HIDING_RULES = (NoSchemaIntrospectionCustomRule, NoFederationSdlRule)


class SchemaVisibility(MaskErrors):
    """Hides the schema from callers who may not explore it: a MaskErrors that only strips
    suggestions, so streamed (subscription) results are covered as well."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=self._has_suggestion)

    @cached_property
    def _hidden(self) -> bool:
        context = self.execution_context.context
        services = getattr(context, "services", None)
        if services is None:  # in-process use, such as printing the schema
            return False
        authenticated = bool(context.principal.is_authenticated)
        return not services.settings.allows_introspection(authenticated=authenticated)

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        if self._hidden:
            if execution.pre_execution_errors is None:
                execution.validation_rules = (*execution.validation_rules, *HIDING_RULES)
            else:  # an extension listed before this one validated already
                assert execution.graphql_document is not None
                refused = validate(
                    execution.schema._schema,
                    execution.graphql_document,
                    list(HIDING_RULES),
                )
                execution.pre_execution_errors = [*execution.pre_execution_errors, *refused]
        yield

    def _has_suggestion(self, error: GraphQLError) -> bool:
        return self._hidden and SUGGESTION.search(error.message) is not None

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return GraphQLError(
            SUGGESTION.sub("", error.message),
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=error.original_error,
            extensions=error.extensions,
        )
