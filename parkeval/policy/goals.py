"""Development goals as data: what a city's document sets out to reach by a year (入驻企业总数达到
200家以上, 年营业收入突破100亿元 …), one file per document under ``data/goals/``, loaded as strictly
as a policy file.

A goal file names its document (title, number, issuer, whether it is a draft), where it applies
(its ``jurisdiction``: the issuing city, matched against the park's recorded province and city
the way a policy's is, see :class:`~parkeval.policy.model.Jurisdiction`), and its goals. Each
goal cites its article and quotes its wording; the loader reads the wording's comparison word
(以上, 超过, 突破 …) and number (200家, 100亿元, 1800平米 …) and refuses a file whose ``op`` or
``target`` says something else — every problem of a file at once. A goal whose wording gives no
comparison word (年营业总收入80亿元) must say how it is read (``interpretation``).

Goal files are separate from policy files (``data/policies``) and reward schemes: the policy
registry never reads them. Users add one with ``--goals-file`` or ``PARKEVAL_GOALS_PATH``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from parkeval.errors import GoalFileError, NotFoundError, os_reason
from parkeval.policy.criteria import Problems
from parkeval.policy.model import Jurisdiction
from parkeval.policy.vocabulary import WORDING_OPS, parse_chinese_number

GOALS_PATH_ENV = "PARKEVAL_GOALS_PATH"

# What a goal measures, and its unit. ``unrecorded``: a quantity the database does not hold
# (从业人员, 知名机构引进数量, 省级产业园): shown as 无记录, never a pass.
GoalMetric = Literal["institutions", "firms", "revenue", "area", "core_area", "unrecorded"]
GOAL_METRIC_NAMES = {
    "institutions": "人力资源服务机构数量",
    "firms": "入驻企业总数",
    "revenue": "年营业收入",
    "area": "园区总面积",
    "core_area": "核心区面积",
}
GOAL_FAMILY = {
    "institutions": "count",
    "firms": "count",
    "revenue": "money",
    "area": "area",
    "core_area": "area",
}

# A goal's wording uses words a criterion does not: 突破 (break through: strictly more) and 达
# (达 30 亿元: reach, the number included).
GOAL_OPS: dict[str, str] = {**WORDING_OPS, "突破": ">", "达": ">="}
_OPS_RE = re.compile("|".join(sorted(GOAL_OPS, key=len, reverse=True)))

_UNIT_FAMILY = {
    "平方米": "area",
    "平米": "area",
    "㎡": "area",
    "元": "money",
    "家": "count",
    "个": "count",
    "人": "people",
}
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+"
_QUANTITY_RE = re.compile(
    rf"(?:(?P<low>{_NUMBER})\s*[-－—~～至到]\s*)?(?P<number>{_NUMBER})"
    r"\s*(?P<scale>千万|万|亿)?\s*(?P<unit>平方米|平米|㎡|元|家|个|人)"
)
_SCALES = {"千万": 10_000_000, "万": 10_000, "亿": 100_000_000, None: 1}


def _number(text: str) -> Decimal:
    if text[0].isdigit():
        return Decimal(text.replace(",", ""))
    return Decimal(parse_chinese_number(text))


def goal_quantities(wording: str) -> list[tuple[str, Decimal, str]]:
    """Every quantity in a goal's wording, in base units, with its family (area, money, count,
    people): 200家以上 → 200; 100亿元 → 10000000000; 1万人 → 10000; a range 5000-10000 平方米
    gives both ends. A year (2025年) is no quantity."""
    out: list[tuple[str, Decimal, str]] = []
    for m in _QUANTITY_RE.finditer(wording):
        family = _UNIT_FAMILY[m.group("unit")]
        size = _SCALES[m.group("scale")]
        for part in ("low", "number"):
            if m.group(part):
                out.append((m.group(0).strip(), _number(m.group(part)) * size, family))
    return out


def goal_ops(wording: str) -> list[tuple[str, str]]:
    """The comparison words in a goal's wording and the operator each means."""
    return [(m.group(0), GOAL_OPS[m.group(0)]) for m in _OPS_RE.finditer(wording)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _amount(value: Any) -> Decimal:
    """A target as written: 200, 1800, "80亿", "1万" → an exact Decimal."""
    if isinstance(value, bool):
        raise ValueError("应为数值，而不是 true/false")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    text = str(value).strip().removesuffix("元")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(千万|万|亿)?", text)
    if not m:
        raise ValueError(f"“{value}” 不是数值（如 400、80亿、1万）")
    return Decimal(m.group(1)) * _SCALES[m.group(2)]


class Stretch(_Strict):
    """A stretch target (力争达到100亿元): shown beside the goal, never the goal itself."""

    target: Decimal
    wording: str = Field(min_length=1)

    @field_validator("target", mode="before")
    @classmethod
    def _read(cls, value: Any) -> Decimal:
        return _amount(value)


class Goal(_Strict):
    """One development goal: a quantity to reach by the end of a year, for each park of the
    file's jurisdiction (``scope: park``) or for all recorded parks of it together (``city``)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    scope: Literal["park", "city"]
    article: str = Field(min_length=1)
    wording: str = Field(min_length=1)
    year: int = Field(ge=2000, le=2100)
    metric: GoalMetric
    measure: str | None = None  # unrecorded: what the document counts (从业人员数量)
    unit: str | None = None  # unrecorded: 家, 人, 个
    op: Literal[">=", ">"] | None = None
    target: Decimal | None = None
    # city goals on the whole industry (全市人力资源服务机构): the recorded parks are only part
    # of it, so their sum is a lower bound (reaching the goal on it is reaching it)
    coverage: Literal["parks", "industry"] = "parks"
    interpretation: str | None = None
    stretch: Stretch | None = None

    @field_validator("target", mode="before")
    @classmethod
    def _read(cls, value: Any) -> Any:
        return None if value is None else _amount(value)

    @model_validator(mode="after")
    def _checks(self) -> Goal:
        problems = self._shape() + self._against_wording()
        if problems:
            raise Problems(problems)
        return self

    def _shape(self) -> list[str]:
        problems = []
        if self.metric == "unrecorded":
            if not self.measure:
                problems.append(
                    "metric: unrecorded 须写明 measure（原文所计的量，如 从业人员数量）"
                )
        else:
            for key in ("measure", "unit"):
                if getattr(self, key) is not None:
                    problems.append(f"{key} 只用于 metric: unrecorded")
            if self.op is None or self.target is None:
                problems.append("可计算的目标须写明 op 与 target")
        if (self.op is None) != (self.target is None):
            problems.append("op 与 target 须同时给出")
        if self.target is not None and self.target <= 0:
            problems.append(f"target 应为正数，而不是 {self.target}")
        if self.metric == "core_area" and self.scope != "park":
            problems.append("core_area（核心区面积）只用于 scope: park")
        if self.scope == "park" and self.coverage == "industry":
            problems.append("coverage: industry 只用于 scope: city")
        if self.stretch is not None and self.target is not None:
            if self.stretch.target <= self.target:
                problems.append("stretch.target 应高于 target（力争目标高于目标本身）")
        if f"{self.year}" not in self.wording:
            problems.append(f"wording 中没有目标年份 {self.year}年；请引用含年份的原文")
        return problems

    def _family(self) -> str:
        """The kind of number the target is (count, money, area, people)."""
        if self.metric == "unrecorded":
            return "people" if self.unit == "人" else "count"
        return GOAL_FAMILY[self.metric]

    def _against_wording(self) -> list[str]:
        problems = []
        if self.metric == "unrecorded" and self.unit not in (None, "家", "个", "人"):
            problems.append(f"unit 只能是 家、个 或 人，而不是 “{self.unit}”")
        if self.op is not None:
            said = {op for _w, op in goal_ops(self._goal_part())}
            if not said and not self.interpretation:
                problems.append(
                    "原文没有比较用语（以上、超过、突破、达到 …）："
                    "须用 interpretation 写明如何理解（如“达到即完成，含本数”）"
                )
            elif said and said != {self.op}:
                words = "、".join(w for w, _ in goal_ops(self._goal_part()))
                problems.append(f"op {self.op} 与原文用语 “{words}” 不一致")
        if self.target is not None:
            family = self._family()
            mine = [(t, v) for t, v, fam in goal_quantities(self.wording) if fam == family]
            if not any(v == self.target for _t, v in mine):
                found = "、".join(t for t, _ in mine) or "（无）"
                problems.append(f"target {self.target} 与原文中的数字 {found} 不一致")
        if self.stretch is not None:
            if self.stretch.wording not in self.wording:
                problems.append("stretch.wording 应是 wording 中的原文（如 力争达到100亿元）")
            if not any(
                v == self.stretch.target for _t, v, _f in goal_quantities(self.stretch.wording)
            ):
                problems.append(
                    f"stretch.target {self.stretch.target} 与 “{self.stretch.wording}” 不一致"
                )
        return problems

    def _goal_part(self) -> str:
        """The wording without the stretch clause (力争达到100亿元 is not the goal's word)."""
        return self.wording.replace(self.stretch.wording, "") if self.stretch else self.wording

    @property
    def name(self) -> str:
        """What the goal measures, in words."""
        if self.metric == "unrecorded":
            return self.measure or ""
        return GOAL_METRIC_NAMES[self.metric]

    @property
    def measurable(self) -> bool:
        """Whether the database can know the goal's quantity."""
        return self.metric != "unrecorded"


class GoalSet(_Strict):
    """A document's development goals (one file)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str = Field(min_length=1)
    document_no: str | None = None  # a draft has none
    issuer: str = Field(min_length=1)
    issued_on: dt.date | None = None
    draft: bool = False
    jurisdiction: Jurisdiction
    notes: list[str] = Field(default_factory=list)
    goals: list[Goal] = Field(min_length=1)

    source: str = ""
    sha256: str = ""

    @model_validator(mode="after")
    def _ids(self) -> GoalSet:
        seen: set[str] = set()
        problems = []
        for g in self.goals:
            if g.id in seen:
                problems.append(f"goals: 目标 id “{g.id}” 重复")
            seen.add(g.id)
        if not self.draft and not self.document_no:
            problems.append("document_no: 正式文件须写明文号（征求意见稿写 draft: true）")
        if problems:
            raise Problems(problems)
        return self

    @property
    def display_title(self) -> str:
        """The document as a reader names it, a draft said to be one."""
        no = f"（{self.document_no}）" if self.document_no else ""
        return f"{self.title}{no}" + ("（征求意见稿，非正式文件）" if self.draft else "")


# --------------------------------------------------------------------------- loading


def read_goal_file(path: Path) -> tuple[GoalSet | None, list[str]]:
    """Validate one goal file: the goal set, or None and every problem found, each naming its
    key. A file that cannot be read as YAML is a :class:`~parkeval.errors.GoalFileError`."""
    import yaml

    from parkeval.policy.loader import _describe_validation
    from parkeval.yamlio import describe_yaml_error, load_yaml

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GoalFileError(f"无法读取发展目标文件 {path}：{os_reason(exc)}") from None
    try:
        data = load_yaml(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise GoalFileError(f"发展目标文件 {path} 不是 UTF-8 编码的文本") from None
    except yaml.YAMLError as exc:
        raise GoalFileError(f"发展目标文件 {path}：{describe_yaml_error(exc)}") from None
    if not isinstance(data, dict):
        raise GoalFileError(f"发展目标文件 {path}：顶层应为键值映射（id、title、goals……）")
    reserved = [f"{k}: 未知的键（由程序填写）" for k in ("source", "sha256") if k in data]
    clean = {k: v for k, v in data.items() if k not in ("source", "sha256")}
    try:
        goals = GoalSet.model_validate(clean)
    except ValidationError as exc:
        return None, reserved + _describe_validation(exc, clean)
    if reserved:
        return None, reserved
    return goals.model_copy(
        update={"source": str(path), "sha256": hashlib.sha256(raw).hexdigest()}
    ), []


def load_goal_file(path: Path) -> GoalSet:
    """Load one goal file, or raise :class:`~parkeval.errors.GoalFileError` listing every problem with its key."""
    goals, problems = read_goal_file(path)
    if goals is None:
        details = "\n".join(f"  {line}" for line in problems)
        raise GoalFileError(f"发展目标文件 {path} 无效：\n{details}")
    return goals


@dataclass
class GoalRegistry:
    """Every goal file a run knows: built-in, then PARKEVAL_GOALS_PATH, then --goals-file."""

    sets: dict[str, GoalSet]

    def get(self, set_id: str) -> GoalSet:
        """The goal set with this id, or an error listing the known ones."""
        try:
            return self.sets[set_id]
        except KeyError:
            known = ", ".join(sorted(self.sets)) or "（无）"
            raise NotFoundError(f"未知的发展目标文件 “{set_id}”。已知的：{known}") from None

    def all(self) -> list[GoalSet]:
        """Every goal set, by id."""
        return [self.sets[k] for k in sorted(self.sets)]

    def covering(self, province: str | None, city: str | None) -> list[GoalSet]:
        """The goal sets whose jurisdiction covers a place (not those that cannot say)."""
        return [g for g in self.all() if g.jurisdiction.covers(province, city)]


def _yaml_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_goal_registry(
    extra_dirs: Iterable[Path] = (), extra_files: Iterable[Path] = ()
) -> GoalRegistry:
    """The built-in goal files and the user's. A user file with a built-in id replaces it; two
    user files with one id are an error naming both."""
    from parkeval.resources import goals_dir

    builtin = goals_dir()
    sets = {g.id: g for g in map(load_goal_file, _yaml_files(builtin))} if builtin.is_dir() else {}
    files: list[Path] = []
    for directory in extra_dirs:
        if not directory.is_dir():
            raise GoalFileError(f"{GOALS_PATH_ENV} 中的目录不存在：{directory}")
        files += _yaml_files(directory)
    files += [Path(f) for f in extra_files]
    user: dict[str, str] = {}
    seen: set[Path] = set()
    for path in files:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        goals = load_goal_file(path)
        if goals.id in user:
            raise GoalFileError(
                f"发展目标文件 id “{goals.id}” 重复：{user[goals.id]} 与 {path} 都定义了它",
                hint="每个 id 只能由一个文件定义；请改名或删去其中一个文件。",
            )
        user[goals.id] = str(path)
        sets[goals.id] = goals
    return GoalRegistry(sets)


def goals_path_from_env() -> list[Path]:
    """The goal directories listed in PARKEVAL_GOALS_PATH."""
    value = os.environ.get(GOALS_PATH_ENV, "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]
