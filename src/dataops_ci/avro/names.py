"""Avro naming rules: full names from name + namespace, reference and alias resolution, name syntax."""

from __future__ import annotations

import re

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def full_name(name: str, namespace: str | None, enclosing: str) -> str:
    """The spec: a dotted name is already full; else the namespace attribute, else the enclosing one."""
    if "." in name:
        return name
    space = enclosing if namespace is None else namespace
    return f"{space}.{name}" if space else name


def namespace_of(fullname: str) -> str:
    return fullname.rpartition(".")[0]


def reference_candidates(ref: str, enclosing: str) -> tuple[str, ...]:
    """Full names a type reference may mean, most specific first.

    A bare name is looked up in the enclosing namespace, then in the null namespace (what the Java
    implementation does, so schemas that work there resolve here too).
    """
    if "." in ref or not enclosing:
        return (ref,)
    return (f"{enclosing}.{ref}", ref)


def resolve_alias(alias: str, namespace: str) -> str:
    """The spec: an alias is fully qualified, or relative to the namespace of the name it is an alias for."""
    if "." in alias or not namespace:
        return alias
    return f"{namespace}.{alias}"


def is_valid_name(name: str) -> bool:
    return bool(_NAME.match(name))


def is_valid_full_name(fullname: str) -> bool:
    return all(is_valid_name(part) for part in fullname.split("."))
