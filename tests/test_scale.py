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

import pytest
from sqlalchemy import text

from parkeval.app.certify import certify
from parkeval.app.dossiers import import_files
from parkeval.domain.facts import YearTally
from parkeval.intake.synth import province, write_province
from tests.conftest import make_dossier, make_tenant

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
WHERE t.hr_class <> 'none' AND t.move_in <= :as_of AND (t.move_out IS NULL OR t.move_out > :as_of)
GROUP BY p.code, s.code, s.role
"""


def test_engine_totals_equal_independent_sums(settings, tmp_path: Path):
    files = write_province(tmp_path / "prov", parks=60, tenants=30, years=3, seed=11, fmt="json")
    import_files(settings, files)
    engine = settings.database
    real = "REAL" if engine.dialect.name == "sqlite" else "NUMERIC"
    with engine.connect() as conn:
        sql_revenue = {
            code: int(fen)
            for code, _y, fen, _n in conn.execute(
                text(REVENUE_FEN.format(real=real)),
                {"year": YEAR, "year_start": dt.date(YEAR, 1, 1), "year_end": AS_OF},
            )
        }
        sql_hr: dict[tuple[str, str], int] = defaultdict(
            int
        )  # (park, "site:b1" | "role:core" | "park")
        for park, site, role, n in conn.execute(text(HR_COUNT), {"as_of": AS_OF}):
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


# --- the database's sums (certify) against the engine's own sums from tenant rows


def _tallies(settings, *, as_of: dt.date, years: tuple[int, ...]):
    from parkeval.domain.facts import tally_tenants
    from parkeval.store.snapshot import load_snapshots

    with settings.database.connect() as connection:
        parks = load_snapshots(connection, codes=None, as_of=as_of, years=years, roster=True)
    by_sql = {p.facts.code: p.facts.tally for p in parks}
    by_rows = {
        p.facts.code: tally_tenants(p.facts.tenants, as_of=as_of, years=years) for p in parks
    }
    return by_sql, by_rows


# every class a tenant may have, in turn over the edge rows
CLASSES = ("licensed", "none", "filed", "public", "licensed_or_filed")
EDGE_TENANTS = [  # (move_in, move_out, leased area, revenue for 2023 and 2024)
    ("2024-12-31", None, "0.05", {2024: "12.5"}),  # moved in on the day: counted
    ("2020-01-01", "2024-12-31", "100", {2024: "100"}),  # moved out on the day: not counted
    ("2020-01-01", "2024-01-01", "7.5", {2023: "1"}),  # left on 1 January: not in 2024
    ("2024-06-01", "2024-06-02", "1", {2024: "5"}),  # one day: present on 1 June only
    ("2025-01-01", None, "30", {2024: "9"}),  # not yet in: 2024 revenue not counted
    ("2019-05-05", None, None, {2023: "0", 2024: "99999999.99"}),  # no leased area
    ("2019-05-05", None, "1234.56", {}),  # reported nothing
]


@pytest.mark.parametrize("as_of", [dt.date(2024, 12, 31), dt.date(2024, 6, 1), dt.date(2025, 1, 1)])
def test_database_sums_equal_the_engines_sums_at_the_presence_edges(settings, write_dossier, as_of):
    tenants = [
        make_tenant(
            i,
            move_in=mi,
            move_out=mo,
            leased_area_m2=area,
            revenue=rev,
            hr_service=None,
            hr_class=CLASSES[i % len(CLASSES)],
            site="core" if i % 3 else "b1",
        )
        for i, (mi, mo, area, rev) in enumerate(EDGE_TENANTS)
    ]
    sites = [
        {"code": "core", "name": "核心园区", "role": "core", "building_area_m2": 6000},
        {"code": "b1", "name": "分园区", "role": "branch", "building_area_m2": "2000.5"},
    ]
    empty = make_dossier(code="empty-park", tenants=[], sites=sites[:1])
    import_files(
        settings,
        [
            write_dossier(make_dossier(code="edge-park", tenants=tenants, sites=sites), "a.yaml"),
            write_dossier(empty, "b.yaml"),
        ],
    )
    by_sql, by_rows = _tallies(settings, as_of=as_of, years=(2024, 2023, 2019))
    assert by_sql == by_rows
    if as_of == dt.date(2024, 12, 31):
        edge = by_sql["edge-park"]
        assert sum(s.present for s in edge.sites.values()) == 3  # rows 0, 5 and 6
        assert sum(s.unknown_area for s in edge.sites.values()) == 1  # row 5
        # rows 0, 1, 3, 5 and 6 were in the park during 2024; row 6 reported nothing
        assert edge.years[2024] == YearTally(present=5, reported=4, total=Decimal("100000117.49"))
        assert by_sql["empty-park"].years[2024] == YearTally()


def test_database_sums_equal_the_engines_sums_on_a_synthetic_province(settings, tmp_path: Path):
    import_files(
        settings,
        write_province(tmp_path / "prov", parks=40, tenants=25, years=3, seed=5, fmt="json"),
    )
    by_sql, by_rows = _tallies(settings, as_of=AS_OF, years=(YEAR, YEAR - 1))
    assert len(by_sql) == 40 and by_sql == by_rows


def test_sums_too_large_for_sqlite_integers_are_added_up_exactly_instead(
    settings, write_dossier, db_backend
):
    # 200 tenants × 9.99×10¹⁴ 元 passes 2⁶³ fen: SQLite refuses the sum, certify adds the rows up.
    biggest = "999999999999999.99"
    tenants = [make_tenant(i, revenue={2024: biggest}) for i in range(200)]
    import_files(settings, [write_dossier(make_dossier(code="huge", tenants=tenants))])
    if db_backend == "sqlite":
        from parkeval.store.snapshot import _park_rows, _Reader
        from parkeval.store.tally import SumOverflow, _in_sql

        with settings.database.connect() as connection, pytest.raises(SumOverflow):
            reader = _Reader(connection, _park_rows(connection, ["huge"]), everything=False)
            _in_sql(reader, reader.sites()[1], AS_OF, [YEAR])
    result = certify(settings, policy_id="gx-2021", park_codes=["huge"], year=YEAR, as_of=AS_OF)[0]
    revenue = next(c.actual for c in result.criteria if c.metric == "revenue")
    assert revenue == Decimal(biggest) * 200


def test_json_output_carries_money_no_float_can_hold(settings, write_dossier):
    import json

    from parkeval.jsonout import dumps

    biggest = "999999999999999.99"
    import_files(
        settings,
        [
            write_dossier(
                make_dossier(code="big", tenants=[make_tenant(1, revenue={2024: biggest})])
            )
        ],
    )
    result = certify(settings, policy_id="gx-2021", park_codes=["big"], year=YEAR, as_of=AS_OF)[0]
    text = dumps(result)
    revenue = next(
        c for c in json.loads(text, parse_float=Decimal)["criteria"] if c["metric"] == "revenue"
    )
    assert revenue["actual"] == Decimal(biggest) and biggest in text
