"""Types reachable through `node(id:)`: each registers itself with its `resolve_reference`."""

from typing import Any

NODE_TYPES: dict[str, Any] = {}


def node_type(cls: type) -> type:
    NODE_TYPES[cls.__name__] = cls
    return cls
