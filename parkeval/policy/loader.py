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
from parkeval.policy.model import Policy, Problems

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
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数（不带小数）",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "dict_type": "应为键值映射",
    "model_type": "应为键值映射",
    "string_pattern_mismatch": "格式不对（只能用小写英文字母、数字和下划线，以字母开头）",
    "too_short": "不能为空",
}


_YAML_QUOTES = (
    "（这段文字含有“冒号 + 空格”，YAML 把它读成了键值对：请给整段文字加引号，"
    '如 wording: "原文：不少于30家"）'
)


def _describe_validation(exc: ValidationError, data: Any) -> list[str]:
    lines = []
    for err in exc.errors():
        where = _format_location(err["loc"], data)
        msg = _PYDANTIC_MESSAGES.get(err["type"])
        error = err.get("ctx", {}).get("error")
        if isinstance(error, Problems):
            lines += [f"{where}: {item}" for item in error.items]
            continue
        if err["type"] in ("enum", "literal_error"):
            allowed = err.get("ctx", {}).get("expected", "")
            msg = f"不允许的值 {err.get('input')!r}；可用的值：{allowed}"
        elif err["type"] == "string_type" and isinstance(err.get("input"), dict):
            msg = "应为一段文字" + _YAML_QUOTES
        elif err["type"] in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            ctx = err.get("ctx", {})
            words = {"ge": "不小于", "gt": "大于", "le": "不大于", "lt": "小于"}
            bound = next((f"{words[k]} {v}" for k, v in ctx.items() if k in words), "")
            msg = f"应{bound}"
        elif msg is None:
            msg = err["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {msg}")
    return lines


def _stand_in(raw: Any) -> dict[str, Any] | None:
    """A valid criterion in place of a broken one, keeping its id and layout, so that the
    policy's own checks (duplicate ids, layouts, rubric references) do not report it again."""
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        return None
    keep = {k: raw[k] for k in ("id", "layout") if isinstance(raw.get(k), str)}
    return {"article": "-", "title": "-", "wording": "-", "kind": "qualitative", **keep}


def _problems(data: dict[str, Any]) -> tuple[Policy | None, list[str]]:
    """Validate a policy file's mapping: the policy, or every problem found. Criteria with
    problems are set aside and the rest validated again, so that the policy's own problems
    (levels, layouts, cycles …) are listed with theirs, not only after they are fixed."""
    try:
        return Policy.model_validate(data), []
    except ValidationError as exc:
        lines = _describe_validation(exc, data)
        broken = {
            e["loc"][1]
            for e in exc.errors()
            if len(e["loc"]) > 1 and e["loc"][0] == "criteria" and isinstance(e["loc"][1], int)
        }
        criteria = data.get("criteria")
        if broken and isinstance(criteria, list):
            rest = {
                **data,
                "criteria": [
                    _stand_in(c) if i in broken else c
                    for i, c in enumerate(criteria)
                    if i not in broken or _stand_in(c)
                ],
            }
            try:
                Policy.model_validate(rest)
            except ValidationError as again:
                lines += [line for line in _describe_validation(again, rest) if line not in lines]
        return None, lines


def _read_mapping(path: Path) -> tuple[dict[str, Any], bytes]:
    """A policy file's bytes and top-level mapping, or :class:`PolicyError` saying why not."""
    from parkeval.limits import read_input
    from parkeval.yamlio import describe_yaml_error, load_yaml

    try:
        raw = read_input(path)
    except FileNotFoundError:
        raise PolicyError(f"政策文件不存在：{path}") from None
    except ValueError as exc:
        raise PolicyError(f"无法读取政策文件 {path}：{exc}") from None
    import yaml

    from parkeval.resources import data_dir

    try:  # the files parkeval ships are read with the faster parser; a user's file strictly
        trusted = path.resolve().is_relative_to(data_dir().resolve())
        data = load_yaml(raw.decode("utf-8"), trusted=trusted)
    except UnicodeDecodeError:
        raise PolicyError(f"政策文件 {path} 不是 UTF-8 编码的文本") from None
    except yaml.YAMLError as exc:
        raise PolicyError(f"政策文件 {path}：{describe_yaml_error(exc)}") from None
    except ValueError as exc:  # a date YAML recognises but no calendar has (2025-13-31)
        raise PolicyError(f"政策文件 {path}：无效的日期（{exc}）；日期应为 YYYY-MM-DD") from None
    if not isinstance(data, dict):
        raise PolicyError(f"政策文件 {path}：顶层应为键值映射（id、title、criteria……）")
    return data, raw


def _is_scheme_file(path: Path) -> bool:
    """A reward scheme (``kind: reward_scheme``) beside the policies of a directory."""
    try:
        data, _ = _read_mapping(path)
    except PolicyError:
        return False  # reported when it is loaded as a policy
    return data.get("kind") == "reward_scheme"


def read_policy_file(path: Path) -> tuple[Policy | None, list[str]]:
    """Validate one policy file: the policy (with its source and sha256), or None and every
    problem found, each naming its key (``policy check`` prints them all). A file that cannot
    be read as YAML at all is a :class:`PolicyError`."""
    data, raw = _read_mapping(path)
    if data.get("kind") == "reward_scheme":
        return None, ["kind: 这是奖补方案文件（kind: reward_scheme），请用 --scheme-file 加入"]
    reserved = [f"{k}: 未知的键（由程序填写）" for k in ("source", "sha256") if k in data]
    policy, problems = _problems({k: v for k, v in data.items() if k not in ("source", "sha256")})
    if reserved or policy is None:
        return None, reserved + problems
    return policy.model_copy(
        update={"source": str(path), "sha256": hashlib.sha256(raw).hexdigest()}
    ), []


def load_policy_file(path: Path) -> Policy:
    """Load and validate one policy file; raise :class:`PolicyError` naming the file and
    listing every problem with its key."""
    policy, problems = read_policy_file(path)
    if policy is None:
        details = "\n".join(f"  {line}" for line in problems)
        raise PolicyError(f"政策文件 {path} 无效：\n{details}")
    return policy


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
    """Load the built-in policies and the user's. A user policy with a built-in id replaces
    the built-in one (to change a local setting); two user files with the same id are an
    error naming both, whichever directories or options they came from."""
    from parkeval.resources import policies_dir

    policies = {p.id: p for p in map(load_policy_file, _policy_files(policies_dir()))}
    user: dict[str, str] = {}  # id → the user file that gave it
    seen: set[Path] = set()
    files: list[Path] = []
    for directory in extra_dirs:
        if not directory.is_dir():
            raise PolicyError(f"{POLICY_PATH_ENV} 中的目录不存在：{directory}")
        files += [f for f in _policy_files(directory) if not _is_scheme_file(f)]
    files += [Path(f) for f in extra_files]
    for path in files:
        if path.resolve() in seen:
            continue  # the same file named twice (a directory and --policy-file)
        seen.add(path.resolve())
        policy = load_policy_file(path)
        if policy.id in user:
            raise PolicyError(
                f"政策 id “{policy.id}” 重复：{user[policy.id]} 与 {path} 都定义了它",
                hint="每个政策 id 只能由一个文件定义；请改名或删去其中一个文件。",
            )
        user[policy.id] = str(path)
        policies[policy.id] = policy
    return PolicyRegistry(policies)


def policy_path_from_env() -> list[Path]:
    """The policy directories listed in PARKEVAL_POLICY_PATH."""
    value = os.environ.get(POLICY_PATH_ENV, "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]
