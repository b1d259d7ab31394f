"""Money stays exact and counts stay right at scale: engine totals on a synthetic province
equal independent sums — one computed by the database in SQL, one from the source files.

The SQL sums avoid the engine's code path entirely. SQLite stores money as canonical text,
so its SQL sum is done in integer fen: ROUND(CAST(text AS REAL) * 100) is exact for any
amount below 2**53 / 100 (about 9×10¹³ 元, far above any tenant's revenue) because a
double's error on a two-decimal number is far below half a fen; SQLite sums integers
exactly. PostgreSQL sums NUMERIC exactly and is converted to fen the same way.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from sqlalchemy import text

from parkeval.services import certify, import_files
from parkeval.synth import province, write_province

YEAR = 2024
AS_OF = dt.date(YEAR, 12, 31)

REVENUE_FEN = """
SELECT p.code, r.year, SUM(CAST(ROUND(CAST(r.amount_yuan AS {real}) * 100) AS BIGINT)) AS fen, COUNT(*) AS n
FROM tenant_revenue r JOIN tenant t ON t.id = r.tenant_id JOIN park p ON p.id = r.park_id
WHERE t.move_in <= :year_end
  AND (t.move_out IS NULL OR (t.move_out > :year_start AND t.move_out > t.move_in))
  AND r.year = :year
GROUP BY p.code, r.year
"""

HR_COUNT = """
SELECT p.code, s.code, s.role, COUNT(*) FROM tenant t JOIN park p ON p.id = t.park_id JOIN site s ON s.id = t.site_id
WHERE t.hr_service = :yes AND t.move_in <= :as_of AND (t.move_out IS NULL OR t.move_out > :as_of)
GROUP BY p.code, s.code, s.role
"""


def test_engine_totals_equal_independent_sums(settings, tmp_path: Path):
    files = write_province(tmp_path / "prov", parks=60, tenants=30, years=3, seed=11, fmt="json")
    import_files(settings, files)
    engine = settings.engine
    real = "REAL" if engine.dialect.name == "sqlite" else "NUMERIC"
    with engine.connect() as conn:
        sql_revenue = {code: int(fen) for code, _y, fen, _n in conn.execute(
            text(REVENUE_FEN.format(real=real)),
            {"year": YEAR, "year_start": dt.date(YEAR, 1, 1), "year_end": AS_OF})}
        sql_hr: dict[tuple[str, str], int] = defaultdict(int)  # (park, "site:b1" | "role:core" | "park")
        for park, site, role, n in conn.execute(text(HR_COUNT), {"yes": True, "as_of": AS_OF}):
            sql_hr[park, f"site:{site}"] += n
            sql_hr[park, f"role:{role}"] += n
            sql_hr[park, "park"] += n

    # a third path: straight from the generated mappings, in Decimal
    source_revenue: dict[str, Decimal] = defaultdict(Decimal)
    for mapping in province(parks=60, tenants=30, years=3, seed=11):
        for t in mapping["tenants"]:
            if str(YEAR) in map(str, t["revenue"]):
                source_revenue[mapping["park"]["code"]] += Decimal(t["revenue"][YEAR])

    checked = 0
    for policy in ("gx-2021", "bt-2022"):
        results = certify(settings, policy_id=policy, park_codes=None, year=YEAR, as_of=AS_OF)
        assert len(results) == 60
        for r in results:
            revenue = next(c.actual for c in r.criteria if c.metric == "revenue")
            assert isinstance(revenue, Decimal)
            assert int(revenue * 100) == sql_revenue[r.park] and revenue * 100 == int(revenue * 100)
            assert revenue == source_revenue[r.park]
            counts = [c for c in r.criteria if c.metric == "hr_institutions"]
            assert counts
            for c in counts:
                key = {"branch": f"site:{c.site}", "core": "role:core"}.get(c.scope or "", "park")
                assert c.actual == sql_hr[r.park, key], (r.park, c.id)
            checked += 1
    assert checked == 120
    total = sum(source_revenue.values(), Decimal(0))
    assert total == Decimal(sum(sql_revenue.values())) / 100  # the province's total, to the fen
    verdicts = {r.verdict for r in results}
    assert {"eligible", "not_eligible"} <= verdicts
