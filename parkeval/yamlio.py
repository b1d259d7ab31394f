"""YAML loading that keeps numbers exact and refuses duplicate keys."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml


class DuplicateKeyError(yaml.MarkedYAMLError):
    pass


# libyaml's parser (C) when PyYAML was built with it: ten times faster than the pure-Python one
# on a policy file (every command loads the policies); the constructors below are the same.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that turns floats into Decimal and treats a repeated key as an error."""


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise DuplicateKeyError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


def _construct_float(loader: StrictLoader, node: yaml.ScalarNode) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return Decimal(text)
    except Exception:  # .inf, .nan and friends: keep YAML's own meaning
        return Decimal(str(yaml.SafeLoader.construct_yaml_float(loader, node)))


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def load_yaml(text: str) -> Any:
    """Parse YAML text strictly (exact decimals, no duplicate keys)."""
    return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader


def describe_yaml_error(exc: yaml.YAMLError) -> str:
    """A one-line Chinese description of a YAML syntax error, with line and column."""
    mark = getattr(exc, "problem_mark", None)
    where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else "未知位置"
    if isinstance(exc, DuplicateKeyError):
        return f"{where}：重复的键（{exc.problem.removeprefix('found duplicate key ')}）"
    problem = getattr(exc, "problem", None) or str(exc)
    hint = ""
    if "mapping values are not allowed" in problem:
        # the commonest slip: text such as 原文：不少于30家 written with an ASCII colon
        hint = (
            '；这一行的文字中含有“冒号 + 空格”，请给整段文字加引号，如 wording: "原文: 不少于30家"'
        )
    return f"{where}：YAML 格式错误（{problem}）{hint}"
