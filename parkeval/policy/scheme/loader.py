"""Loading reward scheme files as strictly as policies: unknown keys, operators against the
wording's comparison words, numbers against the wording's numbers, dates — every problem of a
file at once, each naming its key. A scheme file says ``kind: reward_scheme`` at the top; that
is how a directory on ``PARKEVAL_POLICY_PATH`` holds both policies and schemes. The registry:
built-in (``data/incentives/``), then ``PARKEVAL_POLICY_PATH``, then ``--scheme-file``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from parkeval.errors import NotFoundError, PolicyError
from parkeval.policy.loader import _describe_validation, _read_mapping
from parkeval.policy.scheme.model import Scheme

SCHEME_KIND = "reward_scheme"


def is_scheme_mapping(data: Any) -> bool:
    """Whether a YAML file's top-level mapping is a reward scheme (``kind: reward_scheme``)."""
    return isinstance(data, dict) and data.get("kind") == SCHEME_KIND


def read_scheme_file(path: Path) -> tuple[Scheme | None, list[str]]:
    """Validate one scheme file: the scheme, or None and every problem found."""
    data, raw = _read_mapping(path)
    if not is_scheme_mapping(data):
        return None, ["(文件顶层): 奖补方案文件须以 kind: reward_scheme 开头（这像是一个政策文件）"]
    reserved = [f"{k}: 未知的键（由程序填写）" for k in ("source", "sha256") if k in data]
    try:
        scheme = Scheme.model_validate(
            {k: v for k, v in data.items() if k not in ("source", "sha256")}
        )
    except ValidationError as exc:
        return None, reserved + _describe_validation(exc, data)
    if reserved:
        return None, reserved
    return scheme.model_copy(
        update={"source": str(path), "sha256": hashlib.sha256(raw).hexdigest()}
    ), []


def load_scheme_file(path: Path) -> Scheme:
    """Load one scheme file, or raise :class:`PolicyError` listing every problem."""
    scheme, problems = read_scheme_file(path)
    if scheme is None:
        details = "\n".join(f"  {line}" for line in problems)
        raise PolicyError(f"奖补方案文件 {path} 无效：\n{details}")
    return scheme


@dataclass
class SchemeRegistry:
    """Every reward scheme a run knows."""

    schemes: dict[str, Scheme]

    def get(self, scheme_id: str) -> Scheme:
        """The scheme with this id, or an error listing the known ones."""
        try:
            return self.schemes[scheme_id]
        except KeyError:
            known = ", ".join(sorted(self.schemes)) or "（无）"
            raise NotFoundError(
                f"未知的奖补方案 “{scheme_id}”。已知的方案：{known}",
                hint="自定义方案用 --scheme-file 或放在 PARKEVAL_POLICY_PATH 的目录中。",
            ) from None

    def all(self) -> list[Scheme]:
        """Every scheme, by id."""
        return [self.schemes[k] for k in sorted(self.schemes)]


def _yaml_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def scheme_files_in(directory: Path) -> list[Path]:
    """The files of a directory that are reward schemes (kind: reward_scheme)."""
    out = []
    for path in _yaml_files(directory):
        try:
            data, _ = _read_mapping(path)
        except PolicyError:
            continue  # the policy loader reports it
        if is_scheme_mapping(data):
            out.append(path)
    return out


def load_schemes(
    extra_dirs: Iterable[Path] = (), extra_files: Iterable[Path] = ()
) -> SchemeRegistry:
    """Built-in schemes, then those in the directories, then the files; a user scheme with a
    built-in id replaces it (to change a local setting such as a draft's start date)."""
    from parkeval.resources import data_dir

    schemes = {s.id: s for s in map(load_scheme_file, _yaml_files(data_dir() / "incentives"))}
    user: dict[str, str] = {}
    seen: set[Path] = set()
    files: list[Path] = []
    for directory in extra_dirs:
        if directory.is_dir():
            files += scheme_files_in(directory)
    files += [Path(f) for f in extra_files]
    for path in files:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        scheme = load_scheme_file(path)
        if scheme.id in user:
            raise PolicyError(
                f"奖补方案 id “{scheme.id}” 重复：{user[scheme.id]} 与 {path} 都定义了它"
            )
        user[scheme.id] = str(path)
        schemes[scheme.id] = scheme
    return SchemeRegistry(schemes)
