"""``report --all``: one report per park, rendered in parallel, plus a summary across parks.

Each worker process gets only a small, picklable job (database URL, policy locations,
park code, options) and renders its own PDF from the database, so nothing large crosses
process boundaries; the parent certifies every park once (set-based) for the summary.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parkeval.app.settings import Settings


@dataclass(frozen=True)
class Job:
    db_url: str
    policy_files: tuple[str, ...]
    policy_dirs: tuple[str, ...] | None
    today: dt.date
    park: str
    policy_id: str
    kind: str
    year: int | None
    as_of: dt.date | None
    out_dir: str
    report_date: dt.date | None
    risks: bool = False


def _run(job: Job) -> Any:
    from parkeval.report.document import make_report

    settings = Settings(
        db=job.db_url,
        policy_files=[Path(p) for p in job.policy_files],
        policy_dirs=None if job.policy_dirs is None else [Path(p) for p in job.policy_dirs],
        today=job.today,
    )
    return make_report(
        settings,
        park=job.park,
        policy_id=job.policy_id,
        kind=job.kind,
        year=job.year,
        as_of=job.as_of,
        out_dir=Path(job.out_dir),
        report_date=job.report_date,
        risks=job.risks,
    )


def make_all_reports(
    settings: Settings,
    *,
    policy_id: str,
    out_dir: Path,
    kind: str = "certification",
    year: int | None = None,
    as_of: dt.date | None = None,
    workers: int | None = None,
    progress: Callable[[Any], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    park_codes: list[str] | None = None,
    report_date: dt.date | None = None,
    risks: bool = False,
) -> tuple[list[Any], Any]:
    """Render a report for every park (or those in ``park_codes``) into ``out_dir`` and a
    summary ``summary-POLICY-YEAR.pdf``.

    Returns (per-park outcomes in park order, summary outcome). ``progress`` is called with
    each outcome as it finishes (from the parent process), ``on_total`` with the number of parks.
    """
    import time

    from parkeval.app.certify import certify
    from parkeval.outputs import write_output
    from parkeval.report.document import ATTACHMENT_NAME, ReportOutcome, payload_html
    from parkeval.report.payload import canonical_json, summary_payload
    from parkeval.report.render import render_pdf

    settings.registry.get(policy_id)  # unknown policy: fail before starting workers
    results = (
        certify(
            settings,
            policy_id=policy_id,
            park_codes=park_codes,
            year=year,
            as_of=as_of,
            known_on=report_date,
        )
        if park_codes is None or park_codes
        else []
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = [
        Job(
            settings.db_url,
            tuple(str(p) for p in settings.policy_files),
            None if settings.policy_dirs is None else tuple(str(p) for p in settings.policy_dirs),
            settings.today,
            r.park,
            policy_id,
            kind,
            r.year,
            r.as_of,
            str(out_dir),
            report_date,
            risks,
        )
        for r in results
    ]
    if on_total:
        on_total(len(jobs))
    outcomes: list[Any] = []
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if workers == 1:
        for job in jobs:
            outcomes.append(_run(job))
            if progress:
                progress(outcomes[-1])
    else:
        import multiprocessing

        # spawn: the parent may hold threads (the progress bar) and a database engine.
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn")
        ) as pool:
            futures = [pool.submit(_run, job) for job in jobs]
            for future in as_completed(futures):
                outcomes.append(future.result())
                if progress:
                    progress(outcomes[-1])
    outcomes.sort(key=lambda o: o.park)
    start = time.perf_counter()
    policy = settings.registry.get(policy_id)
    year_label = results[0].year if results else settings.today.year - 1
    payload = summary_payload(
        results,
        policy,
        report_date=report_date or settings.today,
        files={o.park: o.path.name for o in outcomes},
        year=year_label,
        as_of=results[0].as_of if results else dt.date(year_label, 12, 31),
    )
    path = out_dir / f"summary-{policy_id}-{year_label}.pdf"
    pdf, fetcher, pages = render_pdf(
        payload_html(payload, policy),
        attachment=canonical_json(payload),
        attachment_name=ATTACHMENT_NAME,
    )
    assert pdf is not None
    write_output(path, pdf, suffixes=[".pdf"], force=True)
    summary = ReportOutcome(
        park="*",
        path=path,
        kind="summary",
        report_id=payload["report_id"],
        verdict="",
        pages=pages,
        bytes=len(pdf),
        seconds=time.perf_counter() - start,
        blocked=list(fetcher.blocked),
    )
    return outcomes, summary
