"""The demo: the sample parks of ``data/demo/`` imported and certified under their policies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from parkeval.app.certify import certify
from parkeval.app.dossiers import ImportSummary, import_files
from parkeval.app.rewards import RewardsReport
from parkeval.app.settings import Settings
from parkeval.domain.results import CertificationResult

DEMO_YEAR = 2024
DEMO_AS_OF = dt.date(2024, 12, 31)
DEMO_REPORT_PARK = "gx-fail"  # multi-site and short of two thresholds: shows gaps and charts


@dataclass
class DemoResult:
    imported: list[ImportSummary]
    results: list[CertificationResult]
    report_park: str  # the park whose sample report the demo writes
    report_policy: str
    correction: list[str] = field(default_factory=list)  # the sample correction, step by step
    rewards: RewardsReport | None = None  # the sample rewards calculation (lz-2022, 北部园区)


# The sample correction: a grant recorded with a mistyped document number, withdrawn, and
# recorded again — nothing is deleted (parkeval void).
DEMO_GRANT_PARK, DEMO_GRANT_POLICY, DEMO_GRANT_ON = "gx-pass", "gx-2021", dt.date(2021, 6, 15)
DEMO_DOC_WRONG, DEMO_DOC_RIGHT = "桂人社函〔2021〕96号", "桂人社函〔2021〕69号"


def demo_files() -> list[tuple[Path, str]]:
    """The sample dossiers and the policy each is certified under (data/demo/manifest.yaml)."""
    from parkeval.resources import demo_dir
    from parkeval.yamlio import load_yaml

    manifest = load_yaml((demo_dir() / "manifest.yaml").read_text(encoding="utf-8"))
    return [(demo_dir() / item["file"], item["policy"]) for item in manifest["parks"]]


def run_demo(settings: Settings) -> DemoResult:
    """Load the sample parks and certify each under its policy for 2024."""
    files = demo_files()
    imported = import_files(settings, [f for f, _ in files])
    results = []
    for (_path, policy_id), summary in zip(files, imported, strict=True):
        results.extend(
            certify(
                settings,
                policy_id=policy_id,
                park_codes=[summary.park],
                year=DEMO_YEAR,
                as_of=DEMO_AS_OF,
            )
        )
    report_policy = next(
        p for (_f, p), s in zip(files, imported, strict=True) if s.park == DEMO_REPORT_PARK
    )
    return DemoResult(
        imported,
        results,
        DEMO_REPORT_PARK,
        report_policy,
        _demo_correction(settings),
        _demo_rewards(settings),
    )


DEMO_REWARDS_PARK, DEMO_REWARDS_SCHEME = "lz-north", "lz-2022"


def _demo_rewards(settings: Settings) -> RewardsReport:
    """The sample reward facts (data/demo/rewards-lz.yaml, imported once) and the rewards of
    their park and firms under lz-2022 for the demo year."""
    from parkeval.app.rewards import import_facts, rewards
    from parkeval.errors import NotFoundError
    from parkeval.resources import demo_dir

    park, scheme = DEMO_REWARDS_PARK, DEMO_REWARDS_SCHEME
    try:
        return rewards(settings, scheme, DEMO_YEAR, park=park)
    except NotFoundError:
        import_facts(settings, [demo_dir() / "rewards-lz.yaml"])
    return rewards(settings, scheme, DEMO_YEAR, park=park)


def _demo_correction(settings: Settings) -> list[str]:
    """Record the sample grant with a wrong document number, void it and record it again —
    once: a database that already holds the sample title keeps it as it is."""
    from parkeval.app.lifecycle import grant, park_status, rate, void

    park, policy, on = DEMO_GRANT_PARK, DEMO_GRANT_POLICY, DEMO_GRANT_ON
    if any(c.policy == policy for c in park_status(settings, park).certifications):
        return []
    wrong = grant(settings, park, policy_id=policy, on=on, doc_no=DEMO_DOC_WRONG)
    void(
        settings,
        "grant",
        wrong.id,
        reason=f"批复文号录错（应为 {DEMO_DOC_RIGHT}）",
        by="示例：自治区人社厅",
    )
    right = grant(settings, park, policy_id=policy, on=on, doc_no=DEMO_DOC_RIGHT)
    rating = rate(
        settings,
        park,
        policy_id=policy,
        cycle="annual",
        year=2023,
        rating="优秀",
        date=dt.date(2024, 3, 20),
        by="自治区人力资源社会保障厅",
    )
    return [
        f"记录认定 #{wrong.id}：{park} {policy}，文号 {DEMO_DOC_WRONG}（录错）",
        f"撤销认定 #{wrong.id}（原记录保留，注明理由）",
        f"重新记录认定 #{right.id}：文号 {DEMO_DOC_RIGHT}；记录 2023 年度考核等次 #{rating.id}：优秀",
    ]
