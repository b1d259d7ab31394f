"""The error boundary: no traceback reaches a user; a bug says so in one line, its traceback
in a file (exit 70); --debug shows it; passwords in database URLs never appear."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from parkeval.cli import app
from parkeval.errors import EXIT_BUG, redact


def _explode(*_args, **_kwargs):
    raise RuntimeError("boom from inside postgresql://alice:hunter2@db/x")


def test_an_internal_error_is_a_bug_with_its_traceback_in_a_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A real bug cannot be named in advance; a use case that raises stands in for one.
    import parkeval.app.parks as parks

    monkeypatch.setattr(parks, "list_parks", _explode)
    monkeypatch.setenv("PARKEVAL_BUG_DIR", str(tmp_path))
    monkeypatch.setenv("PARKEVAL_DB", str(tmp_path / "x.db"))
    result = CliRunner().invoke(app, ["parks"])
    assert result.exit_code == EXIT_BUG
    assert "Traceback" not in result.output + result.stderr
    assert "内部错误" in result.stderr and "hunter2" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    (report,) = tmp_path.glob("parkeval-bug-*.txt")
    assert report.name in result.stderr
    text = report.read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError" in text and "hunter2" not in text

    debug = CliRunner().invoke(app, ["--debug", "parks"])
    assert isinstance(debug.exception, RuntimeError)


def test_passwords_never_appear_in_a_database_error(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql+psycopg://alice:hunter2@127.0.0.1:9/parkeval?connect_timeout=2"
    result = CliRunner().invoke(app, ["--db", url, "parks"])
    assert result.exit_code == 2, result.output + result.stderr
    assert "hunter2" not in result.output + result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert "无法连接" in result.stderr


def test_redact() -> None:
    assert redact("sqlite:///a.db postgresql://u:p%40ss@h/d password='x y'") == (
        "sqlite:///a.db postgresql://u:***@h/d password=***"
    )
