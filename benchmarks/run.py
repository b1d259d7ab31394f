"""Province-scale benchmark (issue 5). One command:

    .venv/bin/python benchmarks/run.py            # 1,000 parks × 100 tenants × 5 years
    .venv/bin/python benchmarks/run.py --parks 100  # a quick look

Each measured stage runs in a fresh child process (so peak memory is that stage's own) and
is compared with a *floor* that does the bare minimum of the same work, in the same run:

1. import of the province from xlsx  vs  openpyxl read-only reading every row of the same
   workbooks and doing nothing else                                   goal ≤ 1.0×
   (faster than openpyxl can merely read them), peak memory            goal ≤ 150 MB
   and vs python-calamine reading every row (the fast reader's own floor: shown, no goal)
2. certify --all (the engine's call, in process)  vs  one hand-written SQL aggregate that
   computes the same per-park, per-site metrics                 goal ≤ 1.5× cold, ≤ 2.0× warm
   and the whole `parkeval certify --all --json > file` process       goal ≤ 2.5×
   compare --all for two policies (gx-2021 and bt-2022: one snapshot, both judged, the rows
   and gaps laid out)  vs  certify --all for one of them                goal ≤ 3.0×
3. `parkeval --help`  vs  `python -c "import typer"`                     goal ≤ 1.3×
4. one PDF report (`make_report`: database, certification, charts, template, PDF with its
   attachment)  vs  WeasyPrint writing the same finished HTML to PDF    goal ≤ 1.1× cold
   and `report --all` for 100 parks on all cores vs one core           goal ≥ 1.85× on 2 cores
5. signing that report (`parkeval sign --stamp`, PAdES with a visible stamp), warm
                                                                       goal < 0.3 s
   and `verify` (signature, database, pages re-rendered from the attachment) vs one report
                                                                       goal < 2.0×

plus a doubling check (the province, then twice as many parks: time should roughly double;
from 1,000 to 2,000 parks, not 500 to 1,000, where start-up dominates). Results are printed
and written to benchmarks/RESULTS.md with the machine they ran on: every ratio with its goal
and whether it is met.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
POLICY = "gx-2021"
OTHER_POLICY = "bt-2022"  # compare --all judges the province under both
YEAR = 2024


def _peak_mb() -> float:
    """This process's peak, or its largest child's (report workers) if that was larger."""
    return (
        max(
            resource.getrusage(who).ru_maxrss
            for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        )
        / 1024
    )


# --------------------------------------------------------------------------- stages (child side)


def stage_floor_read(files: list[str]) -> None:
    from openpyxl import load_workbook

    cells = 0
    for f in files:
        wb = load_workbook(f, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                cells += len(row)
        wb.close()


def stage_floor_calamine(files: list[str]) -> None:
    from python_calamine import CalamineWorkbook

    cells = 0
    for f in files:
        wb = CalamineWorkbook.from_path(f)
        for name in wb.sheet_names:
            for row in wb.get_sheet_by_name(name).to_python(skip_empty_area=False):
                cells += len(row)
        wb.close()


def stage_import(db: str, files: list[str]) -> None:
    from parkeval.app.dossiers import import_files
    from parkeval.app.settings import Settings

    import_files(Settings(db=db, policy_dirs=[]), [Path(f) for f in files])


def stage_certify(db: str) -> None:
    from parkeval.app.certify import certify
    from parkeval.app.settings import Settings

    results = certify(Settings(db=db, policy_dirs=[]), policy_id=POLICY, park_codes=None, year=YEAR)
    assert results


FLOOR_SQL = """
WITH hr AS (
  SELECT t.site_id, COUNT(*) AS hr_institutions
  FROM tenant t WHERE t.hr_class <> 'none' AND t.move_in <= :as_of AND (t.move_out IS NULL OR t.move_out > :as_of)
  GROUP BY t.site_id),
occupied AS (
  SELECT t.site_id, SUM(CAST(t.leased_area_m2 AS NUMERIC)) AS leased
  FROM tenant t WHERE t.move_in <= :as_of AND (t.move_out IS NULL OR t.move_out > :as_of)
  GROUP BY t.site_id),
revenue AS (
  SELECT r.park_id, r.year, SUM(CAST(r.amount_yuan AS NUMERIC)) AS total
  FROM tenant_revenue r WHERE r.year IN (:year, :year - 1) GROUP BY r.park_id, r.year)
SELECT p.code, s.code, s.role, s.building_area_m2, COALESCE(hr.hr_institutions, 0),
       COALESCE(occupied.leased, 0), cur.total, prev.total
FROM park p JOIN site s ON s.park_id = p.id
LEFT JOIN hr ON hr.site_id = s.id LEFT JOIN occupied ON occupied.site_id = s.id
LEFT JOIN revenue cur ON cur.park_id = p.id AND cur.year = :year
LEFT JOIN revenue prev ON prev.park_id = p.id AND prev.year = :year - 1
ORDER BY p.code, s.id
"""


def stage_certify_other(db: str) -> None:
    from parkeval.app.certify import certify
    from parkeval.app.settings import Settings

    results = certify(
        Settings(db=db, policy_dirs=[]), policy_id=OTHER_POLICY, park_codes=None, year=YEAR
    )
    assert results


def stage_compare(db: str) -> None:
    from parkeval.app.compare import compare
    from parkeval.app.settings import Settings

    results = compare(
        Settings(db=db, policy_dirs=[]),
        policy_ids=[POLICY, OTHER_POLICY],
        park_codes=None,
        year=YEAR,
    )
    assert results


def stage_floor_sql(db: str) -> None:
    import datetime as dt

    from sqlalchemy import text

    from parkeval.store.database import make_engine, resolve_url

    engine = make_engine(resolve_url(db))
    with engine.connect() as conn:
        rows = conn.execute(text(FLOOR_SQL), {"as_of": dt.date(YEAR, 12, 31), "year": YEAR}).all()
    assert rows


def stage_dump_html(db: str, park: str, html_file: str) -> None:
    """Not timed: the finished HTML of the park's report, for the WeasyPrint floor."""
    from parkeval.app.settings import Settings
    from parkeval.report import report_html

    html, _payload = report_html(
        Settings(db=db, policy_dirs=[]), park=park, policy_id=POLICY, year=YEAR
    )
    Path(html_file).write_text(html, encoding="utf-8")


def stage_report(db: str, park: str, out: str) -> None:
    from parkeval.app.settings import Settings
    from parkeval.report import make_report

    make_report(
        Settings(db=db, policy_dirs=[]),
        park=park,
        policy_id=POLICY,
        year=YEAR,
        out=Path(out),
        force=True,  # the benchmark's own scratch file, written again each repetition
    )


def stage_floor_weasyprint(html_file: str, out: str) -> None:
    """Bare WeasyPrint on the same HTML: same base URL (stylesheet, font), nothing else."""
    from weasyprint import HTML

    from parkeval.resources import templates_dir

    # the same archival variant the report is written in (PDF/A-3b): the floor does the
    # same PDF work, minus everything parkeval adds
    HTML(
        string=Path(html_file).read_text(encoding="utf-8"), base_url=templates_dir().as_uri() + "/"
    ).write_pdf(out, pdf_variant="pdf/a-3b")


def stage_make_pki(directory: str) -> None:
    """Not timed: a throwaway CA and bureau certificate, as the tests make them."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    from pki import make_pki

    make_pki(Path(directory))


def stage_sign(report: str, p12: str, out: str) -> None:
    """parkeval sign --stamp on the report (PAdES B-B, visible stamp in the report's font)."""
    from parkeval.report.signing import sign_report

    sign_report(
        Path(report), Path(out), cert=Path(p12), password=b"test-pass", stamp=True, force=True
    )


def stage_verify(db: str, report: str) -> None:
    """parkeval verify: signature, embedded result vs database, pages re-rendered."""
    from parkeval.app.settings import Settings
    from parkeval.report import verify_report

    outcome = verify_report(Settings(db=db, policy_dirs=[]), Path(report))
    assert outcome.matches, [c.summary for c in outcome.checks]


def stage_reports_all(db: str, out_dir: str, workers: int | None) -> None:
    from parkeval.app.settings import Settings
    from parkeval.report import make_all_reports

    outcomes, _summary = make_all_reports(
        Settings(db=db, policy_dirs=[]),
        policy_id=POLICY,
        out_dir=Path(out_dir),
        year=YEAR,
        workers=workers,
        force=True,
    )
    assert outcomes


STAGES = {
    "floor_read": stage_floor_read,
    "floor_calamine": stage_floor_calamine,
    "import": stage_import,
    "certify": stage_certify,
    "certify_other": stage_certify_other,
    "compare": stage_compare,
    "floor_sql": stage_floor_sql,
    "dump_html": stage_dump_html,
    "report": stage_report,
    "floor_weasyprint": stage_floor_weasyprint,
    "reports_all": stage_reports_all,
    "make_pki": stage_make_pki,
    "sign": stage_sign,
    "verify": stage_verify,
}
# also timed a second time, warm
WARM = (
    "certify",
    "certify_other",
    "compare",
    "floor_sql",
    "report",
    "floor_weasyprint",
    "sign",
    "verify",
)


def child_main(argv: list[str]) -> None:
    """Time a stage in a fresh process (its lazy imports included: what a user waits for)
    and, for the read-only stages, a second warm call (imports and connection pool ready)."""
    spec = json.loads(argv[0])
    start = time.perf_counter()
    STAGES[spec["stage"]](*spec["args"])
    result = {"seconds": time.perf_counter() - start}
    if spec["stage"] in WARM:
        start = time.perf_counter()
        STAGES[spec["stage"]](*spec["args"])
        result["warm"] = time.perf_counter() - start
    result["peak_mb"] = _peak_mb()
    print(json.dumps(result))


# --------------------------------------------------------------------------- driver


def run_stage(stage: str, *args: object) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps({"stage": stage, "args": args})],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "out = open(sys.argv[1], 'wb') if sys.argv[1] != '-' else subprocess.DEVNULL\n"
    "t = time.perf_counter(); subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL)\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
)


def time_process(cmd: list[str], repeat: int = 1, stdout: str = "-") -> dict[str, float]:
    """Wall time and peak memory of a whole process (measured by a small parent of its own)."""
    times, peaks = [], []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", _MEASURE, stdout, *cmd],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        times.append(float(out[0]))
        peaks.append(float(out[1]))
    return {"seconds": statistics.median(times), "peak_mb": max(peaks)}


def _medians(runs: dict[str, list[dict[str, float]]]) -> dict[str, dict[str, float]]:
    """Each stage's median times (and its largest peak memory) over repeated runs."""
    return {
        key: {
            k: (max if k == "peak_mb" else statistics.median)(m[k] for m in measured)
            for k in measured[0]
        }
        for key, measured in runs.items()
    }


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), "
        f"{mem:.0f} GiB RAM, Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--parks", type=int, default=1000)
    ap.add_argument("--tenants", type=int, default=100)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument(
        "--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "parkeval-bench"
    )
    ap.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument(
        "--reports",
        type=int,
        default=100,
        help="parks in the report --all comparison (all cores vs one core); 0 skips stage 4",
    )
    ap.add_argument(
        "--no-double",
        dest="double",
        action="store_false",
        help="skip the doubling check (a second province of twice the parks, imported and certified)",
    )
    ap.add_argument(
        "--db",
        help="benchmark this database URL instead of a fresh SQLite file "
        "(it is emptied: use a scratch database)",
    )
    opts = ap.parse_args()

    from parkeval.intake.synth import write_province

    work = opts.work / f"{opts.parks}x{opts.tenants}x{opts.years}"

    def province(directory: Path, parks: int) -> list[str]:
        """The synthetic province's workbooks (written once, kept for the next run)."""
        if not (directory / ".complete").exists():
            shutil.rmtree(directory, ignore_errors=True)
            directory.parent.mkdir(parents=True, exist_ok=True)
            t = time.perf_counter()
            write_province(
                directory,
                parks=parks,
                tenants=opts.tenants,
                years=opts.years,
                seed=2024,
                fmt="xlsx",
            )
            (directory / ".complete").touch()
            print(f"synth: {parks} workbooks in {time.perf_counter() - t:.1f} s", flush=True)
        return sorted(str(p) for p in directory.glob("*.xlsx"))[:parks]

    files = province(work / "xlsx", opts.parks)
    double = province(work / "xlsx-double", 2 * opts.parks) if opts.double else []

    def fresh_db(name: str) -> str:
        if opts.db:
            from sqlalchemy import MetaData

            from parkeval.store.database import make_engine

            engine = make_engine(opts.db)
            meta = MetaData()
            meta.reflect(engine)
            meta.drop_all(engine)
            engine.dispose()
            return opts.db
        path = work / name
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return str(path)

    results: dict[str, dict[str, float]] = {}
    print("reading workbooks (floors: openpyxl, calamine) …", flush=True)
    results["floor_read"] = run_stage("floor_read", files)
    results["floor_calamine"] = run_stage("floor_calamine", files)
    print("importing …", flush=True)
    db = fresh_db("bench.db")
    results["import"] = run_stage("import", db, files)
    print("certifying …", flush=True)
    results["certify"] = run_stage("certify", db)
    results["floor_sql"] = run_stage("floor_sql", db)
    print("comparing two policies …", flush=True)
    results["certify_other"] = run_stage("certify_other", db)
    results["compare"] = run_stage("compare", db)
    exe = [sys.executable, "-m", "parkeval"]
    results["certify_process"] = time_process(
        [*exe, "--db", db, "certify", "--all", "--policy", POLICY, "--year", str(YEAR), "--json"],
        stdout=str(work / "certify.json"),
    )
    print("startup …", flush=True)
    parkeval_bin = shutil.which("parkeval", path=str(Path(sys.executable).parent)) or "parkeval"
    results["help"] = time_process([parkeval_bin, "--help"], repeat=7)
    results["import_typer"] = time_process([sys.executable, "-c", "import typer"], repeat=7)
    if opts.double:
        print(f"doubling check ({len(double)} parks) …", flush=True)
        db_double = fresh_db("bench-double.db")
        results["import_double"] = run_stage("import", db_double, double)
        results["certify_double"] = run_stage("certify", db_double)

    if opts.reports:
        print("one report vs WeasyPrint on the same HTML …", flush=True)
        certified = json.loads((work / "certify.json").read_text(encoding="utf-8"))
        park = next(
            (c["park"] for c in certified if c["park"].startswith("gx-")), certified[0]["park"]
        )
        html_file, reports_dir = work / "report.html", work / "reports"
        run_stage("dump_html", db, park, str(html_file))
        # Seconds, not minutes, and noisy on a shared machine: the median of 5 alternating runs.
        runs: dict[str, list[dict[str, float]]] = {"report": [], "floor_weasyprint": []}
        for _ in range(5):
            runs["report"].append(run_stage("report", db, park, str(work / "report.pdf")))
            runs["floor_weasyprint"].append(
                run_stage("floor_weasyprint", str(html_file), str(work / "floor.pdf"))
            )
        results.update(_medians(runs))
        print("signing and verifying that report …", flush=True)
        run_stage("make_pki", str(work))
        runs = {"sign": [], "verify": []}
        for _ in range(3):
            runs["sign"].append(
                run_stage(
                    "sign",
                    str(work / "report.pdf"),
                    str(work / "bureau.p12"),
                    str(work / "signed.pdf"),
                )
            )
            runs["verify"].append(run_stage("verify", db, str(work / "signed.pdf")))
        results.update(_medians(runs))
        few = files[: opts.reports]
        db_few = fresh_db("bench-reports.db")
        run_stage("import", db_few, few)
        print(f"{len(few)} reports on one core …", flush=True)
        shutil.rmtree(reports_dir, ignore_errors=True)
        results["reports_one_core"] = run_stage("reports_all", db_few, str(reports_dir), 1)
        print(f"{len(few)} reports on all {os.cpu_count()} cores …", flush=True)
        shutil.rmtree(reports_dir, ignore_errors=True)
        results["reports_all_cores"] = run_stage("reports_all", db_few, str(reports_dir), None)

    r = results
    ratios = [
        (
            "import (xlsx) ÷ openpyxl read-only read",
            r["import"]["seconds"] / r["floor_read"]["seconds"],
            "≤ 1.0×",
            1.0,
        ),
        (
            "import (xlsx) ÷ python-calamine read (the fast reader's own floor)",
            r["import"]["seconds"] / r["floor_calamine"]["seconds"],
            "—",
            None,
        ),
        ("import: peak memory (MB, not a ratio)", r["import"]["peak_mb"], "≤ 150 MB", 150.0),
        (
            "certify --all in process ÷ one SQL aggregate, both cold (fresh process)",
            r["certify"]["seconds"] / r["floor_sql"]["seconds"],
            "≤ 1.5×",
            1.5,
        ),
        (
            "certify --all in process ÷ SQL aggregate, both warm (second call)",
            r["certify"]["warm"] / r["floor_sql"]["warm"],
            "≤ 2.0×",
            2.0,
        ),
        (
            f"compare --all ({POLICY}, {OTHER_POLICY}) ÷ certify --all ({POLICY}), both warm",
            r["compare"]["warm"] / r["certify"]["warm"],
            "≤ 3.0×",
            3.0,
        ),
        (
            f"compare --all ({POLICY}, {OTHER_POLICY}) ÷ certify --all {POLICY} + {OTHER_POLICY}, both warm",
            r["compare"]["warm"] / (r["certify"]["warm"] + r["certify_other"]["warm"]),
            "—",
            None,
        ),
        (
            "certify --all --json process ÷ one SQL aggregate",
            r["certify_process"]["seconds"] / r["floor_sql"]["seconds"],
            "≤ 2.5×",
            2.5,
        ),
        (
            "parkeval --help ÷ python -c 'import typer'",
            r["help"]["seconds"] / r["import_typer"]["seconds"],
            "≤ 1.3×",
            1.3,
        ),
    ]
    if opts.double:
        ratios += [
            (
                f"import: {len(double)} parks ÷ {len(files)} parks",
                r["import_double"]["seconds"] / r["import"]["seconds"],
                "≈ 2 (linear)",
                None,
            ),
            (
                f"certify in process: {len(double)} parks ÷ {len(files)} parks",
                r["certify_double"]["seconds"] / r["certify"]["seconds"],
                "≈ 2 (linear)",
                None,
            ),
            (
                f"certify in process, warm: {len(double)} parks ÷ {len(files)} parks",
                r["certify_double"]["warm"] / r["certify"]["warm"],
                "≈ 2 (linear)",
                None,
            ),
        ]
    report_note = ""
    if opts.reports:
        ratios += [
            (
                "one report ÷ WeasyPrint on the same finished HTML, both cold (fresh process)",
                r["report"]["seconds"] / r["floor_weasyprint"]["seconds"],
                "≤ 1.1×",
                1.1,
            ),
            (
                "one report ÷ WeasyPrint on the same finished HTML, both warm (second call)",
                r["report"]["warm"] / r["floor_weasyprint"]["warm"],
                "≤ 1.2×",
                1.2,
            ),
            (
                "signing the report with a visible stamp, warm (seconds, not a ratio)",
                r["sign"]["warm"],
                "< 0.3 s",
                0.3,
            ),
            (
                "verify (signature, database, pages re-rendered) ÷ one report, both cold",
                r["verify"]["seconds"] / r["report"]["seconds"],
                "< 2.0×",
                2.0,
            ),
            (
                "verify ÷ one report, both warm (second call)",
                r["verify"]["warm"] / r["report"]["warm"],
                "< 2.0×",
                2.0,
            ),
            (
                f"report --all, {len(few)} parks: one core ÷ all {os.cpu_count()} cores (speed-up)",
                r["reports_one_core"]["seconds"] / r["reports_all_cores"]["seconds"],
                "≥ 1.85× on 2 cores",
                -1.85,
            ),
        ]
    else:
        report_note = "Reports not measured in this run (--reports 0)."

    lines = [
        "# Benchmark results",
        "",
        f"Province: {len(files)} parks × {opts.tenants} tenants × {opts.years} years "
        f"({opts.db.split('@')[-1] if opts.db else 'SQLite file'}); "
        f"run {time.strftime('%Y-%m-%d %H:%M')} with `benchmarks/run.py`.",
        "",
        f"Machine: {machine()}",
        "",
        "| ratio | measured | goal | met |",
        "|---|---|---|---|",
    ]
    for name, value, goal, limit in ratios:  # a negative limit is a floor: at least -limit
        met = (
            "—"
            if limit is None
            else ("yes" if (value <= limit if limit > 0 else value >= -limit) else "**no**")
        )
        unit = " s" if goal.endswith(" s") else (" MB" if goal.endswith(" MB") else "×")
        lines.append(f"| {name} | {value:.2f}{unit} | {goal} | {met} |")
    lines += ["", "| stage | seconds | peak memory (MB) |", "|---|---|---|"]
    labels = {
        "floor_read": "openpyxl read-only read (floor)",
        "floor_calamine": "python-calamine read (floor)",
        "import": "parkeval import (xlsx)",
        "certify": f"certify --all --policy {POLICY} (in process)",
        "floor_sql": "hand-written SQL aggregate (floor)",
        "certify_other": f"certify --all --policy {OTHER_POLICY} (in process)",
        "compare": f"compare --all --policies {POLICY},{OTHER_POLICY} (in process)",
        "certify_process": "parkeval certify --all --json > file (process)",
        "help": "parkeval --help (median of 7)",
        "import_typer": "python -c 'import typer' (median of 7)",
    }
    if opts.double:
        labels["import_double"] = f"import, {len(double)} parks"
        labels["certify_double"] = f"certify, {len(double)} parks (in process)"
    if opts.reports:
        labels.update(
            {
                "report": f"one report ({park}), make_report to a PDF file (median of 5)",
                "floor_weasyprint": "WeasyPrint HTML → PDF on the same HTML (floor, median of 5)",
                "sign": "parkeval sign --stamp on that report (median of 3)",
                "verify": "parkeval verify on the signed report (median of 3)",
                "reports_one_core": f"report --all, {len(few)} parks + summary, one core",
                "reports_all_cores": f"report --all, {len(few)} parks + summary, all cores",
            }
        )
    for key, label in labels.items():
        lines.append(f"| {label} | {r[key]['seconds']:.3f} | {r[key]['peak_mb']:.0f} |")
        if "warm" in r[key]:
            lines.append(f"| {label}, warm second call | {r[key]['warm']:.3f} | |")
    lines += ["", report_note, ""]
    text = "\n".join(lines)
    print("\n" + text)
    # Hand-written notes (from a "## Notes" heading on) are kept across runs.
    previous = opts.results.read_text(encoding="utf-8") if opts.results.exists() else ""
    notes = previous[previous.index("## Notes") :] if "## Notes" in previous else ""
    opts.results.write_text(text + ("\n" + notes if notes else ""), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
    else:
        main()
