"""A fast pass/fail check for the JSON Schema subset our schema files use.

jsonschema's validator costs ~0.1–0.8 ms per task or record, which is most of push's and
pull's own work on 10k items. This compiles a schema into plain closures that answer "valid"
only when jsonschema would too; on "not valid" (or anything unusual) callers run the real
validator for the messages, so jsonschema stays the source of truth. A schema using a keyword
outside the subset makes `compile_schema` raise `Unsupported`, and callers fall back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

_ANNOTATION_KEYWORDS = frozenset(("$schema", "$id", "title", "description", "$defs"))
_PY_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "integer": (int,), "number": (int, float),
    "boolean": (bool,), "null": (type(None),),
}
_KNOWN = frozenset(("type", "enum", "const", "pattern", "minLength", "minimum", "maximum", "minItems", "maxItems",
                    "required", "properties", "additionalProperties", "items", "$ref", "allOf", "oneOf"))


class Unsupported(Exception):
    """The schema uses something this compiler does not handle."""


def compile_schema(schema: dict[str, Any]) -> Check:
    return _compile(schema, schema)


def _compile(schema: Any, root: dict[str, Any]) -> Check:
    """One closure per schema node; exact `type(v)` tests (subclasses just take the slow path)."""
    if not isinstance(schema, dict) or set(schema) - _KNOWN - _ANNOTATION_KEYWORDS:
        raise Unsupported
    checks: list[Check] = []
    if "$ref" in schema:
        ref = schema["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
            raise Unsupported
        checks.append(_compile(root["$defs"][ref.removeprefix("#/$defs/")], root))
    for sub in schema.get("allOf", ()):
        checks.append(_compile(sub, root))
    if "oneOf" in schema:
        branches = [_compile(sub, root) for sub in schema["oneOf"]]
        checks.append(lambda v: sum(1 for b in branches if b(v)) == 1)
    if "const" in schema:
        const = schema["const"]
        if not isinstance(const, str):
            raise Unsupported
        checks.append(lambda v: type(v) is str and v == const)
    checks.append(_compile_local(schema, root))
    if len(checks) == 1:
        return checks[0]
    return lambda v: all(c(v) for c in checks)


def _compile_local(schema: dict[str, Any], root: dict[str, Any]) -> Check:
    types: frozenset[type] | None = None
    if "type" in schema:
        names = [schema["type"]] if isinstance(schema["type"], str) else list(schema["type"])
        if any(n not in _PY_TYPES for n in names):
            raise Unsupported
        types = frozenset(t for n in names for t in _PY_TYPES[n])
    enum = schema.get("enum")
    if enum is not None:
        if not all(isinstance(x, str) for x in enum):
            raise Unsupported
        enum = frozenset(enum)
    rx = re.compile(schema["pattern"]) if "pattern" in schema else None
    min_len = schema.get("minLength")
    minimum, maximum = schema.get("minimum"), schema.get("maximum")
    min_items, max_items = schema.get("minItems"), schema.get("maxItems")
    required = tuple(schema.get("required", ()))
    props = {k: _compile(sub, root) for k, sub in schema.get("properties", {}).items()}
    extra = schema.get("additionalProperties", True)
    if extra not in (True, False):
        raise Unsupported
    closed = extra is False
    items = _compile(schema["items"], root) if "items" in schema else None

    def check(v: Any) -> bool:
        t = type(v)
        if types is not None and t not in types:
            return False
        if enum is not None and (t is not str or v not in enum):
            return False
        if t is str:
            if min_len is not None and len(v) < min_len:
                return False
            return rx is None or rx.search(v) is not None
        if t is dict:
            for k in required:
                if k not in v:
                    return False
            for k, x in v.items():
                fn = props.get(k)
                if fn is None:
                    if closed:
                        return False
                elif not fn(x):
                    return False
            return True
        if t is list:
            if min_items is not None and len(v) < min_items:
                return False
            if max_items is not None and len(v) > max_items:
                return False
            return items is None or all(items(x) for x in v)
        if t is int or t is float:
            return (minimum is None or v >= minimum) and (maximum is None or v <= maximum)
        return t is bool or v is None
    return check
