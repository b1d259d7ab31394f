"""Loading policy files strictly: YAML in, a validated :class:`~parkeval.policy.model.Policy` out.

Unknown keys, duplicate keys, bad dates and a value outside its vocabulary are errors
that name the file and the key (openfisca-core's parameter loader is the model). The
registry holds every policy a run knows: built-in, then ``PARKEVAL_POLICY_PATH``, then
``--policy-file``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from parkeval.errors import NotFoundError, PolicyError
from parkeval.policy.model import Policy

POLICY_PATH_ENV = "PARKEVAL_POLICY_PATH"


def _format_location(loc: Iterable[Any], data: Any) -> str:
    """Turn a pydantic location (('criteria', 3, 'op')) into criteria[3](id=x).op."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            label = f"[{item}]"
            if isinstance(node, list) and item < len(node):
                node = node[item]
                if isinstance(node, dict) and "id" in node:
                    label = f"[{item}](id={node['id']})"
            parts.append(label)
        else:
            if item in ("function-after", "function-before") or str(item).startswith("function-"):
                continue
            parts.append(("." if parts else "") + str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return "".join(parts) or "(文件顶层)"


_PYDANTIC_MESSAGES = {
    "extra_forbidden": "未知的键",
    "missing": "缺少必填的键",
    "date_from_datetime_parsing": "日期无效，应为 YYYY-MM-DD",
    "date_parsing": "日期无效，应为 YYYY-MM-DD",
    "date_type": "日期无效，应为 YYYY-MM-DD",
    "date_from_datetime_inexact": "日期无效，应为 YYYY-MM-DD",
}


def _describe_validation(exc: ValidationError, data: Any) -> list[str]:
    lines = []
    for err in exc.errors():
        where = _format_location(err["loc"], data)
        msg = _PYDANTIC_MESSAGES.get(err["type"])
        if err["type"] in ("enum", "literal_error"):
            allowed = err.get("ctx", {}).get("expected", "")
            msg = f"不允许的值 {err.get('input')!r}；可用的值：{allowed}"
        elif msg is None:
            msg = err["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {msg}")
    return lines


def load_policy_file(path: Path) -> Policy:
    """Load and validate one policy file; raise :class:`PolicyError` naming the file and key."""
    from parkeval.yamlio import describe_yaml_error, load_yaml

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PolicyError(f"无法读取政策文件 {path}：{exc.strerror}") from None
    import yaml

    try:
        data = load_yaml(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise PolicyError(f"政策文件 {path} 不是 UTF-8 编码的文本") from None
    except yaml.YAMLError as exc:
        raise PolicyError(f"政策文件 {path}：{describe_yaml_error(exc)}") from None
    if not isinstance(data, dict):
        raise PolicyError(f"政策文件 {path}：顶层应为键值映射（id、title、criteria……）")
    for reserved in ("source", "sha256"):
        if reserved in data:
            raise PolicyError(f"政策文件 {path}：{reserved}: 未知的键（由程序填写）")
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        details = "\n".join(f"  {line}" for line in _describe_validation(exc, data))
        raise PolicyError(f"政策文件 {path} 无效：\n{details}") from None
    return policy.model_copy(
        update={"source": str(path), "sha256": hashlib.sha256(raw).hexdigest()}
    )


@dataclass
class PolicyRegistry:
    """All policies known to a run: built-in, then PARKEVAL_POLICY_PATH, then --policy-file."""

    policies: dict[str, Policy]

    def get(self, policy_id: str) -> Policy:
        """The policy with this id, or an error listing the known ones."""
        try:
            return self.policies[policy_id]
        except KeyError:
            known = ", ".join(sorted(self.policies)) or "（无）"
            raise NotFoundError(
                f"未知的政策 “{policy_id}”。已知的政策：{known}",
                hint="用 `parkeval policies` 查看；自定义政策用 --policy-file 或 PARKEVAL_POLICY_PATH 加入。",
            ) from None

    def all(self) -> list[Policy]:
        """Every policy, by id."""
        return [self.policies[k] for k in sorted(self.policies)]


def _policy_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_registry(
    extra_dirs: Iterable[Path] = (), extra_files: Iterable[Path] = ()
) -> PolicyRegistry:
    """Load the built-in policies and the user's; a user policy with a built-in id replaces it."""
    from parkeval.resources import policies_dir

    policies: dict[str, Policy] = {}
    sources = [_policy_files(policies_dir())]
    for directory in extra_dirs:
        if not directory.is_dir():
            raise PolicyError(f"{POLICY_PATH_ENV} 中的目录不存在：{directory}")
        sources.append(_policy_files(directory))
    sources.append([Path(f) for f in extra_files])
    for files in sources:
        in_this_source: dict[str, str] = {}
        for path in files:
            policy = load_policy_file(path)
            if policy.id in in_this_source:
                raise PolicyError(
                    f"政策 id “{policy.id}” 重复：{in_this_source[policy.id]} 与 {path}"
                )
            in_this_source[policy.id] = str(path)
            policies[policy.id] = policy
    return PolicyRegistry(policies)


def policy_path_from_env() -> list[Path]:
    """The policy directories listed in PARKEVAL_POLICY_PATH."""
    value = os.environ.get(POLICY_PATH_ENV, "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]
