"""PDF reports (认定评估报告、自评报告、考核评估报告) a bureau can print, sign and file.

``make_report`` renders one park, ``make_all_reports`` every park plus a summary, and
``verify_report`` checks a PDF's embedded result against the database. WeasyPrint is
imported only when a PDF is rendered, so importing this package stays cheap.

The flow: :func:`parkeval.report.context.gather` computes everything (certification,
status, roster, charts' numbers) → :func:`~parkeval.report.context.result_payload` (the
JSON attached to the PDF) → :func:`~parkeval.report.context.build_context` (the one
documented context object) → ``templates/report.html`` → WeasyPrint with a restricted
URL fetcher.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parkeval.settings import Settings

ATTACHMENT_NAME = "parkeval-result.json"


@dataclass
class ReportOutcome:
    park: str
    path: Path
    kind: str
    report_id: str
    verdict: str
    pages: int | None
    bytes: int
    seconds: float
    blocked: list[str] = field(default_factory=list)  # URLs the fetcher refused


def default_filename(park: str, policy_id: str, year: int, kind: str) -> str:
    return f"{park}-{policy_id}-{year}-{kind}.pdf"


def report_html(settings: Settings, *, park: str, policy_id: str, kind: str = "certification",
                year: int | None = None, as_of: dt.date | None = None) -> tuple[str, dict[str, Any]]:
    """The report's HTML and the machine-readable payload it carries."""
    from parkeval.report.context import build_context, gather, result_payload
    from parkeval.report.render import render_html

    data = gather(settings, park=park, policy_id=policy_id, kind=kind, year=year, as_of=as_of)
    payload = result_payload(data, kind=kind)
    context = build_context(data, payload, kind=kind, today=settings.today)
    return render_html("report.html", context), payload


def make_report(settings: Settings, *, park: str, policy_id: str, kind: str = "certification",
                year: int | None = None, as_of: dt.date | None = None, out: Path | None = None,
                out_dir: Path | None = None) -> ReportOutcome:
    """Render one park's report to ``out`` (default: a name from park, policy, year, kind)."""
    from parkeval.report.context import canonical_json
    from parkeval.report.render import render_pdf

    start = time.perf_counter()
    html, payload = report_html(settings, park=park, policy_id=policy_id, kind=kind, year=year, as_of=as_of)
    if out is None:
        out = (out_dir or Path(".")) / default_filename(park, policy_id, payload["year"], kind)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf, fetcher, pages = render_pdf(html, attachment=canonical_json(payload), attachment_name=ATTACHMENT_NAME)
    assert pdf is not None
    out.write_bytes(pdf)
    return ReportOutcome(park=park, path=out, kind=kind, report_id=payload["report_id"],
                         verdict=payload["result"]["verdict"], pages=pages, bytes=len(pdf),
                         seconds=time.perf_counter() - start, blocked=list(fetcher.blocked))


from parkeval.report.batch import make_all_reports  # noqa: E402
from parkeval.report.verify import VerifyOutcome, verify_report  # noqa: E402

__all__ = ["ATTACHMENT_NAME", "ReportOutcome", "VerifyOutcome", "default_filename", "make_all_reports",
           "make_report", "report_html", "verify_report"]
