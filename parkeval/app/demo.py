"""The demo: the sample parks of ``data/demo/`` imported and certified under their policies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from parkeval.app.certify import certify
from parkeval.app.dossiers import ImportSummary, import_files
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
    return DemoResult(imported, results, DEMO_REPORT_PARK, report_policy)
