"""``report --all``: one report per park, rendered in parallel, plus a summary across parks.

Each worker process gets only a small, picklable job (database URL, policy locations,
park code, options) and renders its own PDF from the database, so nothing large crosses
process boundaries; the parent certifies every park once (set-based) for the summary.

Scheduling, so that every core stays busy to the end (no serial tail):

* jobs are handed out largest first (by the park's tenants: the roster is most of a report's
  pages), so a long report never starts last while the other cores idle;
* the parent renders the summary while the workers run (the file names it lists are known
  before the reports are written), instead of after them;
* a worker keeps its fonts and templates between reports (:mod:`parkeval.report.render`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
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
    force: bool = False
    goal_files: tuple[str, ...] = ()
    goal_dirs: tuple[str, ...] | None = None


def _run(job: Job) -> Any:
    from parkeval.report.document import make_report

    settings = Settings(
        db=job.db_url,
        policy_files=[Path(p) for p in job.policy_files],
        policy_dirs=None if job.policy_dirs is None else [Path(p) for p in job.policy_dirs],
        goal_files=[Path(p) for p in job.goal_files],
        goal_dirs=None if job.goal_dirs is None else [Path(p) for p in job.goal_dirs],
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
        force=job.force,
    )


def _worker_init(parent: int) -> None:
    """Set a report worker up so that it never outlives the batch: Ctrl-C is the parent's
    to handle (a worker finishes its report); SIGTERM ends it through ``SystemExit``, so a
    half-written temporary file is removed; on Linux the kernel sends SIGTERM when the parent
    dies (``PR_SET_PDEATHSIG``), and a watchdog thread checks the parent every second
    elsewhere (or if the parent died before the request was made)."""
    import signal
    import sys
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminated)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the watchdog does it
            pass
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _terminated(_signum: int, _frame: Any) -> None:
    raise SystemExit(143)


def _watch_parent(parent: int) -> None:
    import signal
    import time

    while os.getppid() == parent:
        time.sleep(1)
    os.kill(os.getpid(), signal.SIGTERM)


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
    force: bool = False,
) -> tuple[list[Any], Any]:
    """Render a report for every park (or those in ``park_codes``) into ``out_dir`` and a
    summary ``summary-POLICY-YEAR.pdf``.

    Returns (per-park outcomes in park order, summary outcome). ``progress`` is called with
    each outcome as it finishes (from the parent process), ``on_total`` with the number of parks.
    """
    from parkeval.app.certify import certify
    from parkeval.outputs import check_output, prepare_directory, write_output
    from parkeval.report.document import default_filename

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
    prepare_directory(out_dir)
    files = {r.park: default_filename(r.park, policy_id, r.year, kind) for r in results}
    # Every file the batch will write is checked before any is rendered: an existing file
    # (without --force) or a symlink stops the batch with nothing written.
    for name in files.values():
        check_output(out_dir / name, suffixes=[".pdf"], force=force)
    check_output(
        _summary_path(settings, results, policy_id, out_dir), suffixes=[".pdf"], force=force
    )
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
            force,
            tuple(str(p) for p in settings.goal_files),
            None if settings.goal_dirs is None else tuple(str(p) for p in settings.goal_dirs),
        )
        for r in results
    ]
    if on_total:
        on_total(len(jobs))
    jobs = _largest_first(settings, jobs)
    outcomes: list[Any] = []
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if workers == 1:
        for job in jobs:
            outcomes.append(_run(job))
            if progress:
                progress(outcomes[-1])
        summary, pdf = _summary(settings, results, policy_id, out_dir, report_date, files)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed

        # spawn: the parent may hold threads (the progress bar) and a database engine.
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_init,
            initargs=(os.getpid(),),
        )
        try:
            with ThreadPoolExecutor(max_workers=1) as parent:
                futures = [pool.submit(_run, job) for job in jobs]
                # the summary, in this process while the workers render the parks' reports
                summary_done = parent.submit(
                    _summary, settings, results, policy_id, out_dir, report_date, files
                )
                for future in as_completed(futures):
                    outcomes.append(future.result())
                    if progress:
                        progress(outcomes[-1])
                summary, pdf = summary_done.result()
        except BaseException:
            # Ctrl-C or a failed report: nothing new starts; the reports being rendered are
            # finished (each is written whole or not at all), then the error goes on.
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    outcomes.sort(key=lambda o: o.park)
    assert {o.park: o.path.name for o in outcomes} == files  # what the summary lists
    write_output(summary.path, pdf, suffixes=[".pdf"], force=force)
    return outcomes, summary


def _largest_first(settings: Settings, jobs: list[Job]) -> list[Job]:
    """The jobs, the parks with the most tenants first (ties in park order)."""
    from parkeval.app.parks import list_parks

    tenants = {p.code: p.tenants for p in list_parks(settings, include_retired=True)}
    return sorted(jobs, key=lambda job: -tenants.get(job.park, 0))


def _year_label(settings: Settings, results: list[Any]) -> int:
    return results[0].year if results else settings.today.year - 1


def _summary_path(settings: Settings, results: list[Any], policy_id: str, out_dir: Path) -> Path:
    return out_dir / f"summary-{policy_id}-{_year_label(settings, results)}.pdf"


def _summary(
    settings: Settings,
    results: list[Any],
    policy_id: str,
    out_dir: Path,
    report_date: dt.date | None,
    files: dict[str, str],
) -> tuple[Any, bytes]:
    """Render the summary across parks (``files``: each park's report file name): its
    outcome and its PDF, written by the caller once every report is."""
    import time

    from parkeval.report.document import ATTACHMENT_NAME, ReportOutcome, payload_html
    from parkeval.report.payload import canonical_json, summary_payload
    from parkeval.report.render import render_pdf

    start = time.perf_counter()
    policy = settings.registry.get(policy_id)
    year_label = _year_label(settings, results)
    payload = summary_payload(
        results,
        policy,
        report_date=report_date or settings.today,
        files=files,
        year=year_label,
        as_of=results[0].as_of if results else dt.date(year_label, 12, 31),
    )
    path = _summary_path(settings, results, policy_id, out_dir)
    pdf, fetcher, pages = render_pdf(
        payload_html(payload, policy),
        attachment=canonical_json(payload),
        attachment_name=ATTACHMENT_NAME,
    )
    assert pdf is not None
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
    return summary, pdf
