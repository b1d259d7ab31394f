"""A policy author's two checks: ``policy check`` (is the file valid? every problem at once)
and ``policy test`` (do the author's cases — facts in, statuses and verdict out — come out as
written?). Both read files only; nothing touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from parkeval.app.settings import Settings
from parkeval.domain.eligibility import evaluate
from parkeval.domain.results import CriterionResult
from parkeval.domain.wording import STATUS_NAMES, VERDICT_NAMES, actual_text, required_text
from parkeval.errors import InputError, NotFoundError, PolicyError, Problem
from parkeval.intake.cases import CaseFile, PolicyCase, read_case_file
from parkeval.policy.loader import read_policy_file
from parkeval.policy.model import Policy


@dataclass
class PolicyCheck:
    """``policy check`` of one file: valid, or every problem with its key."""

    file: str
    valid: bool
    policy: str | None  # the id, when valid
    criteria: int  # how many criteria, when valid
    problems: list[str] = field(default_factory=list)


def check_policy_files(paths: Iterable[Path]) -> list[PolicyCheck]:
    """Validate policy files, each on its own: every problem of each, not only the first."""
    out = []
    for path in paths:
        if not path.is_file():
            raise NotFoundError(f"找不到政策文件：{path}")
        try:
            policy, problems = read_policy_file(path)
        except PolicyError as exc:  # not YAML, not UTF-8, not a mapping
            out.append(PolicyCheck(str(path), False, None, 0, [exc.message]))
            continue
        if policy is None:
            out.append(PolicyCheck(str(path), False, None, 0, problems))
        else:
            out.append(PolicyCheck(str(path), True, policy.id, len(policy.criteria)))
    return out


@dataclass
class CaseOutcome:
    """One case: passed, or what came out differently, in words."""

    name: str
    where: str
    passed: bool
    verdict: str  # what the rules gave
    expected_verdict: str | None
    mismatches: list[str] = field(default_factory=list)


@dataclass
class CaseFileOutcome:
    file: str
    policy: str
    policy_source: str  # the policy file the cases ran against
    cases: list[CaseOutcome]

    @property
    def passed(self) -> bool:
        """Whether every case of the file came out as expected."""
        return all(c.passed for c in self.cases)


def case_files(paths: Iterable[Path]) -> list[Path]:
    """The test files named, directories searched for ``*.yaml``/``*.yml`` (sorted; a policy,
    scheme, goal file or dossier found there is not a test and is skipped)."""
    from parkeval.intake.cases import file_kind

    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
            out += [p for p in found if file_kind(p) is None]
        elif path.is_file():
            out.append(path)
        else:
            raise NotFoundError(f"找不到测试文件或目录：{path}")
    if not out:
        raise NotFoundError("没有找到测试文件（*.yaml）", hint="例如：parkeval policy test tests/")
    return out


def _policy_for(settings: Settings, cases: CaseFile) -> Policy:
    if cases.policy_file is None:
        return settings.registry.get(cases.policy)
    policy, problems = read_policy_file(cases.policy_file)
    if policy is None:
        details = "\n".join(f"  {p}" for p in problems)
        raise PolicyError(
            f"{cases.path} 所测试的政策文件 {cases.policy_file} 无效：\n{details}",
            hint=f"先用 parkeval policy check {cases.policy_file} 逐项修正",
        )
    if policy.id != cases.policy:
        raise InputError(
            [
                Problem(
                    f"{cases.path} policy",
                    f"写的是 “{cases.policy}”，但 policy_file 中的政策 id 是 “{policy.id}”",
                )
            ]
        )
    return policy


def _unknown_ids(policy: Policy, case: PolicyCase) -> list[Problem]:
    known = {c.id for c in policy.criteria}
    named = {
        *case.expect.criteria,
        *case.waivers,
        *case.facts.attestations,
    }
    unknown = sorted(named - known)
    if not unknown:
        return []
    return [
        Problem(
            case.where,
            f"政策 {policy.id} 中没有条件 {'、'.join(unknown)}；可用的条件：{', '.join(sorted(known))}",
        )
    ]


def _describe(row: CriterionResult) -> str:
    if row.kind == "qualitative":
        return STATUS_NAMES[row.status]
    return f"{STATUS_NAMES[row.status]}（实际 {actual_text(row)}，要求{required_text(row)}）"


def run_case(policy: Policy, case: PolicyCase) -> CaseOutcome:
    """Evaluate one case under ``policy`` and compare with what it expects."""
    result = evaluate(policy, case.facts, year=case.year, as_of=case.as_of, waivers=case.waivers)
    mismatches = []
    expect = case.expect
    if expect.verdict is not None and expect.verdict != result.verdict:
        mismatches.append(
            f"结论应为 {VERDICT_NAMES[expect.verdict]}，实际为 {VERDICT_NAMES[result.verdict]}"
        )
    for cid, wanted in expect.criteria.items():
        rows = [r for r in result.criteria if r.id == cid]
        if not rows:
            mismatches.append(f"{cid}：该园区布局（{result.layout}）下没有这一条件")
            continue
        by_site = wanted if isinstance(wanted, dict) else {r.site: wanted for r in rows}
        for site, status in by_site.items():
            row = next((r for r in rows if r.site == site), None)
            label = cid + (f"（{site}）" if site else "")
            if row is None:
                mismatches.append(f"{label}：没有这一分园区")
            elif row.status != status:
                mismatches.append(f"{label} 应为 {STATUS_NAMES[status]}，实际为 {_describe(row)}")
    return CaseOutcome(
        case.name,
        case.where,
        not mismatches,
        result.verdict,
        expect.verdict,
        mismatches,
    )


def run_policy_tests(settings: Settings, paths: Iterable[Path]) -> list[CaseFileOutcome]:
    """Run the cases of every test file named (or found in the directories named). A file
    that cannot be read, or names an unknown policy or criterion, is an error; a case that
    comes out differently is a failed outcome."""
    files = [read_case_file(path) for path in case_files(paths)]
    plans = [(f, _policy_for(settings, f)) for f in files]
    problems = [p for f, policy in plans for case in f.cases for p in _unknown_ids(policy, case)]
    if problems:
        raise InputError(problems)
    return [
        CaseFileOutcome(
            str(f.path), policy.id, policy.source, [run_case(policy, c) for c in f.cases]
        )
        for f, policy in plans
    ]
