"""Outputs never clobber, never follow a symlink, never make directories from a typo, and
are written whole with the usual permissions; data that looks like rich markup is printed as
written; report --all workers do not outlive their parent."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import make_dossier
from hostile import dump, refused, run, tree
from pypdf import PdfReader, PdfWriter

from parkeval.report import ATTACHMENT_NAME


@pytest.fixture
def park_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database with one small park whose tenants' names look like rich markup."""
    db = tmp_path / "db" / "p.db"
    db.parent.mkdir()
    monkeypatch.setenv("PARKEVAL_DB", str(db))
    monkeypatch.delenv("PARKEVAL_POLICY_PATH", raising=False)
    dossier = make_dossier(hr=3, others=1)
    dossier["tenants"][0]["name"] = "[/]"
    dossier["tenants"][1]["name"] = "[link=https://example.invalid]点我[/link]"
    good = tmp_path / "db" / "good.yaml"
    good.write_text(yaml.safe_dump(dossier, allow_unicode=True), "utf-8")
    assert run("import", good).exit_code == 0
    return db


REPORT = ["report", "test-park", "--policy", "gx-2021", "--year", "2024"]


def test_report_outputs_never_clobber(park_db: Path, tmp_path: Path) -> None:
    work = tmp_path / "out"
    work.mkdir()
    notes = work / "notes.txt"
    notes.write_text("mine", "utf-8")
    precious = work / "precious.xlsx"
    precious.write_bytes(b"PK-not-really")
    target = work / "elsewhere.txt"
    target.write_text("do not touch", "utf-8")
    (work / "link.pdf").symlink_to(target)
    existing = work / "old.pdf"
    existing.write_bytes(b"%PDF-old")
    (work / "afile").write_text("x", "utf-8")
    before = tree(work)
    db_before = dump(park_db)

    refused(*REPORT, "--out", notes, where=str(notes), says=".pdf")
    refused(*REPORT, "--out", precious, where=str(precious), says=".pdf")
    refused(*REPORT, "--out", work / "link.pdf", says="符号链接")
    refused(*REPORT, "--out", existing, where=str(existing), says="已存在")
    refused(*REPORT, "--out", tmp_path / "nonexistent" / "x.pdf", says="目录不存在")
    refused(*REPORT, "--out", ".", says=".pdf")
    refused(*REPORT, "--html", "--out", existing, says=".html")
    refused("report", "--all", "--policy", "gx-2021", "--out-dir", work / "afile", says="不是目录")
    refused("template", "/proc/x.xlsx", says="/proc")
    refused("template", precious, says="已存在")
    assert not (tmp_path / "nonexistent").exists()
    assert tree(work) == before and dump(park_db) == db_before

    os.umask(0o022)
    done = run(*REPORT, "--out", existing, "--force")
    assert done.exit_code == 0, done.stderr
    assert existing.read_bytes().startswith(b"%PDF") and existing.stat().st_size > 1000
    assert stat.S_IMODE(existing.stat().st_mode) == 0o644
    leftovers = [p.name for p in work.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_report_all_refuses_a_planted_symlink(park_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", "utf-8")
    (out / "test-park-gx-2021-2024-certification.pdf").symlink_to(victim)
    args = ["report", "--all", "--policy", "gx-2021", "--year", "2024", "--out-dir", out]
    refused(*args, says="符号链接")
    refused(*args, "--force", says="符号链接")
    assert victim.read_text("utf-8") == "precious"
    assert sorted(p.name for p in out.iterdir()) == ["test-park-gx-2021-2024-certification.pdf"]


def test_synth_refuses_to_overwrite_a_folder(tmp_path: Path) -> None:
    out = tmp_path / "province"
    assert run("synth", "--parks", "2", "--tenants", "3", "--out", out).exit_code == 0
    first = tree(out)
    refused("synth", "--parks", "2", "--tenants", "3", "--seed", "9", "--out", out, says="已存在")
    assert tree(out) == first
    refused("synth", "--parks", "1", "--out", tmp_path / "a" / "b", says="不存在")
    assert not (tmp_path / "a").exists()


def test_markup_in_data_is_printed_as_written(park_db: Path, tmp_path: Path) -> None:
    shown = run("show", "test-park", env={"COLUMNS": "400"})
    assert shown.exit_code == 0, shown.stderr
    assert "[/]" in shown.output and "[link=https://example.invalid]" in shown.output
    pdf = tmp_path / "r.pdf"
    assert run(*REPORT, "--out", pdf).exit_code == 0
    payload = json.loads(PdfReader(pdf).attachments[ATTACHMENT_NAME][0])
    payload["report_id"] = "[/]"
    writer = PdfWriter(clone_from=pdf)
    del writer._root_object["/Names"]["/EmbeddedFiles"]
    writer.add_attachment(ATTACHMENT_NAME, json.dumps(payload, ensure_ascii=False).encode())
    forged = tmp_path / "forged.pdf"
    writer.write(forged)
    result = run("verify", forged)
    assert result.exit_code & 4 and "报告编号 [/]" in result.output


def _start_report_all(park_db: Path, tmp_path: Path, stderr: int) -> tuple[Any, Path]:
    """Six more parks imported, then `report --all` on two workers started in a child
    process; the process and its output directory."""
    for n in range(1, 7):  # enough parks that work is still queued when the parent dies
        more = tmp_path / f"more{n}.yaml"
        dossier = make_dossier(code=f"park-{n}", hr=3, others=1)
        more.write_text(yaml.safe_dump(dossier, allow_unicode=True), "utf-8")
        assert run("import", more).exit_code == 0
    out = tmp_path / "all"
    script = textwrap.dedent(
        f"""
        import sys
        sys.argv = ["parkeval", "report", "--all", "--policy", "gx-2021", "--year", "2024",
                    "--out-dir", {str(out)!r}, "--workers", "2"]
        from parkeval.cli import main
        main()
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script],
        env={**os.environ, "PARKEVAL_DB": str(park_db)},
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        text=True,
    )
    return parent, out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux process checks")
def test_report_all_workers_exit_when_the_parent_dies(park_db: Path, tmp_path: Path) -> None:
    """The parent is killed with SIGKILL while its workers render; they exit on their own
    within seconds, and nothing but complete PDFs is left in the directory."""
    parent, out = _start_report_all(park_db, tmp_path, subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    children: list[int] = []
    while time.monotonic() < deadline and not children:
        time.sleep(0.2)
        children = _children(parent.pid)
    assert children, "no worker started"
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 60  # generous: a loaded machine is slow to deliver signals
    while time.monotonic() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in children)
    for pdf in out.glob("*.pdf") if out.exists() else []:
        assert PdfReader(pdf).pages  # complete
    assert not [p for p in out.iterdir() if p.name.startswith(".")] if out.exists() else True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux process checks")
def test_ctrl_c_stops_report_all_leaving_only_complete_pdfs(park_db: Path, tmp_path: Path) -> None:
    parent, out = _start_report_all(park_db, tmp_path, subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _children(parent.pid):
        time.sleep(0.2)
    time.sleep(1)
    parent.send_signal(signal.SIGINT)
    _out, err = parent.communicate(timeout=120)
    assert parent.returncode == 130, err
    assert "已中止" in err and "Traceback" not in err
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) < 8 and not (out / "summary-gx-2021-2024.pdf").exists()
    for pdf in pdfs:
        assert PdfReader(pdf).pages
    assert [p.name for p in out.iterdir() if not p.name.endswith(".pdf")] == []


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    # the spawn start method runs a resource tracker too: only report workers count
    return [p for p in found if b"resource_tracker" not in _cmdline(p)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


def test_money_near_a_threshold_never_contradicts_the_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """499,999,999.99 元 against 不低于5亿元: the words show every digit, not "当前 5亿元"."""
    monkeypatch.setenv("PARKEVAL_DB", str(tmp_path / "m.db"))
    monkeypatch.delenv("PARKEVAL_POLICY_PATH", raising=False)
    dossier = make_dossier(hr=32, others=0)
    for i, tenant in enumerate(dossier["tenants"]):
        tenant["revenue"] = {2024: "499999999.99" if i == 0 else 0}
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(dossier, allow_unicode=True), "utf-8")
    assert run("import", path).exit_code == 0
    result = run("certify", "test-park", "--policy", "gx-2021", "--year", "2024", "--json")
    (revenue,) = [c for c in json.loads(result.output)["criteria"] if c["metric"] == "revenue"]
    assert revenue["status"] == "fail"
    assert "当前 499,999,999.99元" in revenue["gap"] and "当前 5亿元" not in revenue["gap"]
    table = run(
        "certify", "test-park", "--policy", "gx-2021", "--year", "2024", env={"COLUMNS": "400"}
    )
    assert "499,999,999.99元" in table.output and "当前 5亿元" not in table.output
