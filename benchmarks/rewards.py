"""Rewards benchmark (issue 15). One command:

    .venv/bin/python benchmarks/rewards.py              # 1,000 parks × 100 firms × 5 years
    .venv/bin/python benchmarks/rewards.py --parks 100  # a quick look

A synthetic province of reward facts under lz-2022 (柳州) is written with bulk inserts
(executemany): per firm its location, a revenue per year moving through the tiers, now and
then an honour, an approval or a payment. Then, in this process:

1. ``budget`` for the scheme and year (the use case: one query for the facts, every firm's
   claims replayed, the fund cap)  vs  one hand-written SQL query summing the same facts in
   force per firm, kind and year                                              goal ≤ 3.0×
2. ``rewards`` for one firm, warm (second call)                               goal < 0.3 s

Times are CPU seconds of this process (``time.process_time``: the SQL runs in it too), so
that other work on a shared machine does not skew the ratio. Results are printed and written
to benchmarks/RESULTS-rewards.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEME, CITY, YEAR = "lz-2022", "柳州", 2024
TIERS = [
    Decimal(v)
    for v in (
        15_000_000,
        25_000_000,
        60_000_000,
        200_000_000,
        600_000_000,
        1_200_000_000,
        4_000_000_000,
    )
]


def synthesize(db: str, *, parks: int, firms: int, years: int, seed: int = 2024) -> int:
    """Write the province's facts with executemany; the number of rows."""
    from sqlalchemy import insert

    from parkeval.store.database import init_db, make_engine, resolve_url
    from parkeval.store.tables import RewardFact

    engine = make_engine(resolve_url(db))
    init_db(engine)
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    base = {
        "subject_kind": "firm", "city": CITY, "year": None, "on_date": None, "code": None,
        "level": None, "amount_yuan": None, "count": None, "attendees": None,
        "contract_months": None, "insured_months": None, "area": None, "result": None,
        "note": None, "supersedes": None, "source": "bench", "input_sha256": None,
        "recorded_by": "bench", "recorded_at": now,
    }  # fmt: skip
    first = YEAR - years + 1
    total = 0
    with engine.begin() as conn:
        for p in range(parks):
            park = f"park-{p:04d}"
            rows = []
            for f in range(firms):
                name = f"企业{p:04d}-{f:03d}"
                row = {**base, "subject": name, "park": park}
                rows.append({**row, "kind": "location", "on_date": dt.date(2020, 1 + f % 12, 1),
                             "code": rng.choice(["headquarters", "subsidiary", "branch"]),
                             "area": rng.choice(["北部园区", "核心园区", "柳东园区"])})  # fmt: skip
                tier = rng.randrange(len(TIERS) - 2)
                for y in range(first, YEAR + 1):
                    tier = min(tier + (rng.random() < 0.3), len(TIERS) - 1)
                    rows.append(
                        {
                            **row,
                            "kind": "revenue",
                            "year": y,
                            "code": "main_business",
                            "amount_yuan": TIERS[tier],
                        }
                    )
                    if rng.random() < 0.05:
                        level = rng.choice(["city", "provincial", "national"])
                        rows.append(
                            {
                                **row,
                                "kind": "honour",
                                "year": y,
                                "code": "integrity_demo",
                                "level": level,
                            }
                        )
                    if rng.random() < 0.05:
                        rows.append(
                            {
                                **row,
                                "kind": "payment",
                                "year": y,
                                "code": "revenue_tier",
                                "amount_yuan": Decimal(50_000),
                            }
                        )
            conn.execute(insert(RewardFact), rows)
            total += len(rows)
    engine.dispose()
    return total


FLOOR_SQL = """
SELECT f.subject, f.kind, f.year, COUNT(*), SUM(CAST(f.amount_yuan AS NUMERIC))
FROM reward_fact AS f
WHERE f.city = :city AND f.kind != 'withdrawal'
  AND NOT EXISTS (SELECT 1 FROM reward_fact AS g WHERE g.supersedes = f.id)
GROUP BY f.subject, f.kind, f.year
"""


def floor(db: str) -> float:
    """The hand-written query: every fact in force of the city, summed per firm, kind, year."""
    from sqlalchemy import text

    from parkeval.store.database import make_engine, resolve_url

    engine = make_engine(resolve_url(db))
    t = time.process_time()
    with engine.connect() as conn:
        rows = conn.execute(text(FLOOR_SQL), {"city": CITY}).fetchall()
    elapsed = time.process_time() - t
    assert rows
    engine.dispose()
    return elapsed


def timed(fn, *args, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202 - a bench helper
    t = time.process_time()
    value = fn(*args, **kw)
    return time.process_time() - t, value


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--parks", type=int, default=1000)
    ap.add_argument("--firms", "--tenants", type=int, default=100)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument(
        "--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "parkeval-bench"
    )
    ap.add_argument("--results", type=Path, default=HERE / "RESULTS-rewards.md")
    opts, _ = ap.parse_known_args()  # `make bench BENCH_ARGS=…` passes run.py's options too

    from parkeval.app.rewards import budget, rewards
    from parkeval.app.settings import Settings

    opts.work.mkdir(parents=True, exist_ok=True)
    db = str(opts.work / f"rewards-{opts.parks}x{opts.firms}x{opts.years}.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    t, rows = timed(synthesize, db, parks=opts.parks, firms=opts.firms, years=opts.years)
    print(f"synth: {rows} facts in {t:.1f} s", flush=True)

    floor_cold = floor(db)
    floor_warm = floor(db)
    settings = Settings(db=db, policy_dirs=[], today=dt.date(YEAR + 1, 6, 30))
    budget_cold, result = timed(budget, settings, SCHEME, YEAR)
    budget_warm, _ = timed(budget, settings, SCHEME, YEAR)
    firm = "企业0000-000"
    rewards(settings, SCHEME, YEAR, subject=firm)
    firm_warm, _ = timed(rewards, settings, SCHEME, YEAR, subject=firm)
    print(f"budget: {result.beneficiaries} firms, due {result.total_due} 元", flush=True)

    lines = [
        "# Rewards benchmark results",
        "",
        f"Province: {opts.parks} parks × {opts.firms} firms × {opts.years} years of reward facts "
        f"({rows} rows, SQLite file); run {dt.datetime.now():%Y-%m-%d %H:%M} with `benchmarks/rewards.py`.",
        "",
        f"Machine: {platform.system()} {platform.release()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "",
        "| ratio or time | measured | goal | met |",
        "|---|---|---|---|",
        f"| budget ÷ hand-written SQL sum, warm | {budget_warm / floor_warm:.2f}× | ≤ 3.0× | {'yes' if budget_warm / floor_warm <= 3 else '**no**'} |",
        f"| budget ÷ hand-written SQL sum, cold (first call) | {budget_cold / floor_cold:.2f}× | — | — |",
        f"| rewards for one firm, warm | {firm_warm:.3f} s | < 0.3 s | {'yes' if firm_warm < 0.3 else '**no**'} |",
        "",
        "| stage | CPU seconds |",
        "|---|---|",
        f"| hand-written SQL sum (floor), cold / warm | {floor_cold:.3f} / {floor_warm:.3f} |",
        f"| budget --scheme {SCHEME} --year {YEAR} (in process), cold / warm | {budget_cold:.3f} / {budget_warm:.3f} |",
        f"| rewards for one firm, warm | {firm_warm:.3f} |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    opts.results.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
