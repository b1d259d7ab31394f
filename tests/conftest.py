"""Shared fixtures: a fresh database per test, a CLI runner, and dossier factories."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

# Both backends: tests taking `settings` or `runner` run on SQLite and on a throwaway
# PostgreSQL cluster (tests/pgcluster.py); `db_path` (a SQLite file) keeps a test on SQLite.
from pgcluster import (  # noqa: F401  (fixtures and hooks pytest finds here)
    db_backend,
    db_url,
    pg_cluster,
    pg_url,
    pytest_generate_tests,
    pytest_terminal_summary,
)
from typer.testing import CliRunner

from parkeval.app.settings import Settings
from parkeval.intake.synth import qualitative_criteria
from parkeval.values import CREDIT_CODE_CHARSET, credit_code_check_char


def make_credit_code(n: int, region: str = "450100") -> str:
    """A valid 统一社会信用代码, different for each n (deterministic)."""
    rng = random.Random(n)
    body = "91" + region + "".join(rng.choice(CREDIT_CODE_CHARSET) for _ in range(9))
    return body + credit_code_check_char(body)


def make_tenant(n: int, **overrides: Any) -> dict[str, Any]:
    tenant = {
        "credit_code": make_credit_code(n),
        "name": f"测试人力资源服务有限公司{n:03d}",
        "hr_service": True,
        "site": "core",
        "leased_area_m2": 100,
        "move_in": "2020-01-01",
        "move_out": None,
        "revenue": {2023: "1500万", 2024: "1700万"},
    }
    tenant.update(overrides)
    return tenant


def make_dossier(
    *,
    code: str = "test-park",
    hr: int = 32,
    others: int = 6,
    building_area: Any = 6000,
    **overrides: Any,
) -> dict[str, Any]:
    """A valid single-site gx-2021 dossier that passes every criterion by default
    (32 HR institutions, 3800/6000 ㎡ occupied, revenue 6.46亿 in 2024)."""
    tenants = [make_tenant(i) for i in range(hr)]
    tenants += [
        make_tenant(1000 + i, hr_service=False, name=f"配套服务公司{i:03d}") for i in range(others)
    ]
    dossier = {
        "park": {
            "code": code,
            "name": "测试人力资源服务产业园",
            "province": "广西壮族自治区",
            "city": "南宁市",
            "operator": "测试运营有限公司",
            "operator_type": "company",
            "full_time_staff": 10,
        },
        "sites": [
            {"code": "core", "name": "核心园区", "role": "core", "building_area_m2": building_area}
        ],
        "tenants": tenants,
        "attestations": {
            k: {"met": True, "evidence": f"材料/{k}.pdf"} for k in qualitative_criteria()
        },
    }
    dossier.update(overrides)
    return copy.deepcopy(dossier)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k) if isinstance(k, int) else k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.fixture
def write_dossier(tmp_path: Path) -> Callable[..., Path]:
    """Write a dossier mapping as YAML (default) or JSON and return the path."""

    def write(mapping: dict[str, Any], name: str = "dossier.yaml") -> Path:
        path = tmp_path / name
        if path.suffix == ".json":
            path.write_text(json.dumps(_plain(mapping), ensure_ascii=False), encoding="utf-8")
        else:
            path.write_text(
                yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
        return path

    return write


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def settings(db_url: str) -> Settings:  # noqa: F811  (the pgcluster fixture, by name)
    """Settings on a fresh database (SQLite file or PostgreSQL), with the built-in policies only."""
    return Settings(db=db_url, policy_dirs=[], today=dt.date(2025, 6, 30))


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, db_url: str) -> CliRunner:  # noqa: F811
    """A typer runner whose default database is this test's fresh database."""
    monkeypatch.setenv("PARKEVAL_DB", db_url)
    monkeypatch.delenv("PARKEVAL_POLICY_PATH", raising=False)
    monkeypatch.delenv("PARKEVAL_GOALS_PATH", raising=False)
    return CliRunner()
