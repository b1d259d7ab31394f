"""Rewards and budget use cases: record the facts a bureau keeps (import a file, approve an
amount, record a payment, withdraw a fact — all new rows, with audit-log entries), and compute
what a firm or park can claim under a scheme and what a scheme costs in a year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from parkeval.app.settings import Settings
from parkeval.domain.rewards.budget import Budget
from parkeval.domain.rewards.compute import quota_population, subject_rewards
from parkeval.domain.rewards.facts import Fact, SubjectFacts
from parkeval.domain.rewards.results import SubjectRewards
from parkeval.errors import ConflictError, InputError, NotFoundError, ParkevalError, Problem
from parkeval.intake.rewards import KnownIds
from parkeval.policy.scheme.model import Scheme
from parkeval.policy.vocabulary import place_key


@dataclass
class FactsImport:
    """What an import of facts files brought in."""

    files: list[tuple[str, int]]
    total: int


@dataclass
class RecordedFact:
    """A fact recorded by a command (an approval, a payment, a withdrawal)."""

    id: int
    kind: str
    subject: str
    detail: str


@dataclass
class RewardsReport:
    """The rewards of a firm, or of a park and its firms, for a year under a scheme."""

    scheme: str
    scheme_title: str
    draft: bool
    year: int
    subjects: list[SubjectRewards] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        """What every claim counts, together."""
        return sum((s.total for s in self.subjects), Decimal(0))


def known_ids(settings: Settings) -> KnownIds:
    """The list, rule and category ids the loaded schemes use (a facts file may name these)."""
    from parkeval.domain.rewards.words import CATEGORY_WORDS, LIST_NAMES

    lists, rules, categories = set(LIST_NAMES), set(), set(CATEGORY_WORDS)
    for scheme in settings.schemes.all():
        for r in scheme.rules:
            rules.add(r.id)
            lists.update(r.trigger.lists or [])
            categories.update(r.trigger.categories or [])
            for req in r.requires:
                lists.update(req.lists or [])
    return KnownIds(lists, rules, categories)


def import_facts(settings: Settings, paths: Sequence[Path]) -> FactsImport:
    """Validate every file, then write all their facts in one transaction (or nothing)."""
    from parkeval.intake.rewards import read_fact_files
    from parkeval.store.audit import record_many
    from parkeval.store.database import write_transaction
    from parkeval.store.rewards import add_facts

    if not paths:
        raise InputError([Problem("parkeval facts import", "没有指定要导入的文件")])
    files = read_fact_files(paths, today=settings.today, known=known_ids(settings))

    def write(session: Any) -> FactsImport:
        _refuse_reimport(session, files)
        for f in files:
            add_facts(session, f.rows, recorded_by=settings.actor, source="import")
        record_many(
            session,
            [
                {
                    "action": "facts",
                    "park": None,
                    "by": settings.actor,
                    "detail": f"导入奖补事实 {f.source}（{len(f.rows)} 条）",
                    "input_sha256": f.sha256,
                }
                for f in files
            ],
        )
        return FactsImport(
            [(f.source, len(f.rows)) for f in files], sum(len(f.rows) for f in files)
        )

    return write_transaction(settings.database, write)


def _refuse_reimport(session: Any, files: Sequence[Any]) -> None:
    """Refuse a file whose facts (same sha256) were imported before and still count, or a file
    given twice: importing it again would count every fact twice."""
    from parkeval.domain.wording import format_date
    from parkeval.store.rewards import imported_in_force

    seen: set[str] = set()
    twice = []
    for f in files:
        if f.sha256 in seen:
            twice.append(Problem(f.source, "同一文件在本次导入中出现了两次"))
        seen.add(f.sha256)
    before = imported_in_force(session, [f.sha256 for f in files])
    problems = twice + [
        Problem(
            f.source,
            f"内容相同的文件已于{format_date(before[f.sha256])}导入，其中的事实仍然有效；"
            "再次导入会重复计算每一条事实。如需更正，请用 parkeval facts list 查看记录编号，"
            "再用 parkeval facts withdraw 编号 --reason 理由 撤销后重新导入",
        )
        for f in dict((f.sha256, f) for f in files).values()
        if f.sha256 in before
    ]
    if problems:
        raise InputError(problems)


def list_facts(
    settings: Settings, *, subject: str | None = None, scheme: str | None = None,
    city: str | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """The facts in force, by id (for one beneficiary, a scheme's city or a city)."""
    from parkeval.domain.rewards.words import LEVEL_WORDS
    from parkeval.store.database import reading
    from parkeval.store.rewards import list_facts as load

    cities: list[str] | None = None
    if scheme is not None:
        cities = _cities(settings.schemes.get(scheme))
    if city is not None:
        wanted = {c for c in (city, place_key(city)) if c}
        cities = sorted(wanted & set(cities) if cities is not None else wanted)
    with reading(settings.database) as conn:
        rows = load(conn, subject=subject, cities=cities)
    words = _code_words(settings)
    for r in rows:
        parts = [r["level"] and LEVEL_WORDS.get(r["level"], r["level"]), r["code"], r["area"]]
        r["what"] = "，".join(words.get(p, p) for p in parts if p)
    return rows


def _code_words(settings: Settings) -> dict[str, str]:
    """The Chinese words for the codes a fact may hold (lists, forms, categories, measures,
    the loaded schemes' rules)."""
    from parkeval.domain.rewards.words import CATEGORY_WORDS, FORM_WORDS, LIST_NAMES
    from parkeval.policy.scheme.model import REVENUE_MEASURES

    words = {**LIST_NAMES, **FORM_WORDS, **CATEGORY_WORDS, **REVENUE_MEASURES}
    for scheme in settings.schemes.all():
        words.update({r.id: r.title for r in scheme.rules if r.id not in words})
    return words


def _check_year(settings: Settings, year: int, what: str) -> None:
    if year > settings.today.year:
        raise ParkevalError(f"{what}：{year} 年尚未到来，不能记录")


def record_amount(
    settings: Settings, kind: str, *, subject: str, rule: str, year: int, amount: Decimal,
    city: str, subject_kind: str = "firm", on: dt.date | None = None, note: str | None = None,
) -> RecordedFact:  # fmt: skip
    """Record the bureau's approved amount (``approval``) or a payment made (``payment``) for a
    rule and year. The rule must belong to a loaded scheme; a later approval supersedes."""
    from parkeval.domain.rewards.words import money
    from parkeval.store.audit import record
    from parkeval.store.database import write_transaction
    from parkeval.store.rewards import add_fact

    if rule not in known_ids(settings).rules:
        raise NotFoundError(f"未知的奖励项目 “{rule}”；用 parkeval rewards … --json 查看项目编号")
    _check_year(settings, year, "--year")
    if on is not None and on > settings.today:
        raise ParkevalError(f"--on {on} 晚于今天（{settings.today}），不能记录尚未发生的拨付")
    if amount < 0:
        raise ParkevalError("金额不能为负数")
    word = "核定" if kind == "approval" else "拨付"
    detail = f"{subject} {year}年 {rule} {word}{money(amount)}"
    row = {
        "kind": kind, "subject": subject, "subject_kind": subject_kind, "city": place_key(city),
        "year": year, "on_date": on, "code": rule, "amount_yuan": amount, "note": note,
    }  # fmt: skip

    def write(session: Any) -> RecordedFact:
        fact_id = add_fact(session, row, recorded_by=settings.actor)
        record(session, action=kind, park=None, by=settings.actor, detail=f"{detail}（#{fact_id}）")
        return RecordedFact(fact_id, kind, subject, detail)

    return write_transaction(settings.database, write)


def withdraw_fact(settings: Settings, fact_id: int, *, reason: str) -> RecordedFact:
    """Withdraw a recorded fact: a new row says so and why; the fact itself stays."""
    from parkeval.store.audit import record
    from parkeval.store.database import write_transaction
    from parkeval.store.rewards import add_fact, fact_in_force

    if not reason.strip():
        raise ParkevalError("--reason 不能为空：请写明撤销的理由")

    def write(session: Any) -> RecordedFact:
        fact = fact_in_force(session, fact_id)
        if fact is None or fact["kind"] == "withdrawal":
            raise NotFoundError(f"没有编号为 #{fact_id} 的奖补事实记录")
        if fact["superseded_by"] is not None:
            how = "撤销" if fact["withdrawn"] else "更正"
            raise ConflictError(
                f"记录 #{fact_id} 已被记录 #{fact['superseded_by']} {how}，不能再撤销"
            )
        row = {
            "kind": "withdrawal", "subject": fact["subject"], "subject_kind": fact["subject_kind"],
            "city": fact["city"], "park": fact["park"], "supersedes": fact_id, "note": reason,
        }  # fmt: skip
        new_id = add_fact(session, row, recorded_by=settings.actor)
        detail = f"撤销奖补事实 #{fact_id}（{fact['subject']}，{fact['kind']}）：{reason}"
        record(session, action="withdraw", park=fact["park"], by=settings.actor, detail=detail)
        return RecordedFact(new_id, "withdrawal", fact["subject"], detail)

    return write_transaction(settings.database, write)


def _group(facts: list[Fact]) -> list[SubjectFacts]:
    by: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in facts:
        by[(f.subject_kind, f.subject)].append(f)
    return [
        SubjectFacts(s, k, fs)
        for (k, s), fs in sorted(by.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]


def _cities(scheme: Scheme) -> list[str]:
    return sorted({c for c in (scheme.city, place_key(scheme.city)) if c})


def rewards(
    settings: Settings,
    scheme_id: str,
    year: int,
    *,
    subject: str | None = None,
    park: str | None = None,
) -> RewardsReport:
    """What a firm (``subject``) or a park and its firms (``park``) can claim for ``year``."""
    from parkeval.store.database import reading
    from parkeval.store.rewards import load_facts

    scheme = settings.schemes.get(scheme_id)
    quota_lists = sorted({x for r in scheme.rules if r.quota for x in r.trigger.lists or []})
    with reading(settings.database) as conn:
        if subject is not None:
            facts = load_facts(conn, cities=_cities(scheme), subjects=[subject])
            if not facts:
                raise NotFoundError(
                    f"没有“{subject}”在{scheme.city}的奖补事实记录",
                    hint="用 parkeval facts import 导入事实（营业收入、荣誉、落户……），或检查名称与城市。",
                )
        else:
            facts = load_facts(conn, cities=_cities(scheme), park=park)
            if not facts:
                raise NotFoundError(f"园区 “{park}” 在{scheme.city}没有奖补事实记录")
        population = (
            quota_population(scheme, load_facts(conn, cities=_cities(scheme), kinds=["honour"]))
            if quota_lists
            else {}
        )
    report = RewardsReport(scheme.id, scheme.title, scheme.draft, year)
    for sf in _group(facts):
        report.subjects.append(subject_rewards(scheme, sf, year, population))
    if report.subjects:
        report.warnings = list(dict.fromkeys(w for s in report.subjects for w in s.warnings))
    return report


def budget(settings: Settings, scheme_id: str, year: int, *, park: str | None = None) -> Budget:
    """The cost of every claim under the scheme in ``year`` against its caps (one query for
    the facts of the scheme's city, or of one park's beneficiaries)."""
    from parkeval.domain.rewards.budget import budget as compute
    from parkeval.store.database import reading
    from parkeval.store.rewards import load_facts

    scheme = settings.schemes.get(scheme_id)
    with reading(settings.database) as conn:
        facts = load_facts(conn, cities=_cities(scheme), park=park)
        population = quota_population(
            scheme,
            facts if park is None else load_facts(conn, cities=_cities(scheme), kinds=["honour"]),
        )
    return compute(scheme, year, _group(facts), population)


def write_template(path: Path, *, force: bool = False) -> Path:
    """Write the blank facts workbook (one sheet per kind of fact)."""
    from parkeval.intake.rewards import template_bytes
    from parkeval.outputs import write_output

    return write_output(path, template_bytes(), suffixes=[".xlsx"], force=force)
