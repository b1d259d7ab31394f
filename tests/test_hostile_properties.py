"""Property tests of the hostile corpus' invariants for random input: a dossier loader either
returns a dossier or raises InputError whose every line names the file (never another
exception, never an unbounded message); CLI options either work or are refused with exit 2,
never a traceback, the database unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import make_dossier
from hostile import dump, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkeval.errors import InputError
from parkeval.intake.load import load_dossier

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.dates().map(lambda d: d.isoformat()),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=12), inner, max_size=4),
    ),
    max_leaves=20,
)
FIELDS = ("name", "credit_code", "move_in", "move_out", "leased_area_m2", "site", "hr_service")

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _load(path: Path) -> None:
    try:
        load_dossier(path)
    except InputError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert str(path) in problem.where
            assert len(str(problem)) < 2000 + len(str(path))


@PROPERTY
@given(doc=documents)
def test_any_document_is_a_dossier_or_an_input_error(doc, tmp_path: Path) -> None:
    for name, text in (
        ("d.yaml", yaml.safe_dump(doc, allow_unicode=True)),
        ("d.json", json.dumps(doc, ensure_ascii=False, default=str)),
    ):
        path = tmp_path / name
        path.write_text(text, "utf-8", errors="surrogatepass")
        _load(path)


@PROPERTY
@given(field=st.sampled_from(FIELDS), value=documents)
def test_any_value_in_a_tenant_field(field: str, value, tmp_path: Path) -> None:
    dossier = make_dossier(hr=2, others=0)
    dossier["tenants"][0][field] = value
    path = tmp_path / "t.json"
    path.write_text(json.dumps(dossier, ensure_ascii=False, default=str), "utf-8", "surrogatepass")
    _load(path)


@PROPERTY
@given(raw=st.text(max_size=200))
def test_any_raw_yaml_text(raw: str, tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(raw, "utf-8", errors="surrogatepass")
    _load(path)


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "s.db"
    monkeypatch.setenv("PARKEVAL_DB", str(db))
    monkeypatch.delenv("PARKEVAL_POLICY_PATH", raising=False)
    good = tmp_path / "g.yaml"
    good.write_text(yaml.safe_dump(make_dossier(hr=3, others=1), allow_unicode=True), "utf-8")
    assert run("import", good).exit_code == 0
    return db


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    as_of=st.one_of(st.dates().map(str), st.text(max_size=20)),
    within=st.integers(min_value=-(10**12), max_value=10**12),
    year=st.integers(min_value=-(10**6), max_value=10**6),
    by=st.text(max_size=30).filter(lambda s: "\x00" not in s),
)
def test_any_cli_options(seeded: Path, as_of: str, within: int, year: int, by: str) -> None:
    before = dump(seeded)
    for args in (
        ["due", "--all", "--as-of", as_of, "--within", str(within)],
        ["status", "--all", "--as-of", as_of],
        ["certify", "test-park", "--policy", "gx-2021", "--year", str(year)],
        ["--by", by, "parks"],
    ):
        result = run(*args)  # asserts: no traceback, no exception
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr)
    assert dump(seeded) == before
