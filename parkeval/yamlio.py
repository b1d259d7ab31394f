"""YAML loading that keeps numbers exact and refuses duplicate keys, impossible dates,
keys that are not text or numbers, a document whose aliases expand to more than
:data:`~parkeval.limits.MAX_YAML_NODES` values (a "billion laughs" file of a few hundred
bytes expands to gigabytes as soon as anything walks it) and nesting deeper than
:data:`~parkeval.limits.MAX_DEPTH`. Aliases themselves are fine (PyYAML writes them for
shared values)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import yaml


class DuplicateKeyError(yaml.MarkedYAMLError):
    pass


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that turns floats into Decimal and treats a repeated key as an error; it
    checks nesting as it composes the document and the size with aliases expanded once it
    is composed, before anything is built."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_document(self) -> Any:
        """Compose the document, then refuse it if its aliases expand beyond the limit."""
        from parkeval.limits import MAX_YAML_NODES

        node = super().compose_document()
        sizes: dict[int, int] = {}

        def size(n: Any) -> int:  # each shared node counted once per use, computed once
            if id(n) in sizes:
                return sizes[id(n)]
            total = 1
            if isinstance(n, yaml.SequenceNode):
                total += sum(size(child) for child in n.value)
            elif isinstance(n, yaml.MappingNode):
                total += sum(size(k) + size(v) for k, v in n.value)
            sizes[id(n)] = total
            return total

        if node is not None and size(node) > MAX_YAML_NODES:
            raise LimitError(
                None,
                None,
                f"too large: 别名（*引用）展开后超过 {MAX_YAML_NODES:,} 个值",
                node.start_mark,
            )
        return node

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Compose one node, refusing too deep a nesting."""
        from parkeval.limits import MAX_DEPTH

        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise LimitError(
                    None,
                    None,
                    f"too deep: 嵌套超过 {MAX_DEPTH} 层",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class LimitError(yaml.MarkedYAMLError):
    """A YAML document beyond a limit of :mod:`parkeval.limits`."""


class ValueProblem(yaml.MarkedYAMLError):
    """A YAML value that cannot be what it says (an impossible date, a list as a key)."""


# libyaml's parser (C) when PyYAML was built with it: ten times faster than the pure-Python one
# on a policy file. It composes in C, out of reach of the nesting and alias checks above, so it
# reads only the files parkeval ships (``trusted=True``); everything a user gives goes through
# StrictLoader.
_CSafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TrustedLoader(_CSafeLoader):  # type: ignore[misc,valid-type]
    """The same constructors as :class:`StrictLoader` on libyaml's parser, for bundled files."""


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, str | int | Decimal | bool | dt.date) and key is not None:
            raise ValueProblem(
                None, None, "键应为文字或数字，而不是列表或映射", key_node.start_mark
            )
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


def _construct_timestamp(loader: StrictLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        raise ValueProblem(
            None,
            None,
            f"不存在的日期或时间 “{loader.construct_scalar(node)}”",
            node.start_mark,
        ) from None


for _loader in (StrictLoader, TrustedLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def load_yaml(text: str, *, trusted: bool = False) -> Any:
    """Parse YAML text strictly (exact decimals, no duplicate keys, the limits above);
    ``trusted`` (a file parkeval ships) uses libyaml's faster parser."""
    try:
        return yaml.load(text, Loader=TrustedLoader if trusted else StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader
    except RecursionError:  # nesting in flow style ([[[[…) is parsed before it is composed
        raise LimitError(None, None, "too deep: 嵌套层数过多", None) from None


def describe_yaml_error(exc: yaml.YAMLError) -> str:
    """A one-line Chinese description of a YAML syntax error, with line and column."""
    mark = getattr(exc, "problem_mark", None)
    where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else "未知位置"
    if isinstance(exc, DuplicateKeyError):
        return f"{where}：重复的键（{exc.problem.removeprefix('found duplicate key ')}）"
    problem = getattr(exc, "problem", None) or str(exc)
    if isinstance(exc, LimitError | ValueProblem):
        return f"{where}：{problem.split(': ', 1)[-1]}"
    hint = ""
    if "mapping values are not allowed" in problem:
        # the commonest slip: text such as 原文：不少于30家 written with an ASCII colon
        hint = (
            '；这一行的文字中含有“冒号 + 空格”，请给整段文字加引号，如 wording: "原文: 不少于30家"'
        )
    return f"{where}：YAML 格式错误（{problem}）{hint}"
