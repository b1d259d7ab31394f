"""Hostile dossiers and policy files: each refused with exit 2, no traceback, a message naming
the file and place, and the database unchanged. Bombs are generated here, never stored, and
read in a child process under a 1 GiB address-space limit."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import make_dossier
from hostile import dump, refused, run, run_limited

from parkeval.intake.template import write_dossier


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SQLite database holding one valid park; PARKEVAL_DB names it."""
    db = tmp_path / "seed.db"
    monkeypatch.setenv("PARKEVAL_DB", str(db))
    monkeypatch.delenv("PARKEVAL_POLICY_PATH", raising=False)
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(make_dossier(hr=3, others=1), allow_unicode=True), "utf-8")
    assert run("import", good).exit_code == 0
    return db


def _yaml_with_tenant_name(name_yaml: str) -> str:
    """A valid small dossier whose first tenant's name is the raw YAML ``name_yaml``."""
    text = yaml.safe_dump(make_dossier(hr=3, others=1), allow_unicode=True, sort_keys=False)
    first = text.index("  name: 测试人力资源服务有限公司000")
    end = text.index("\n", first)
    return text[:first] + f"  name: {name_yaml}" + text[end:]


YAML_CASES = {
    # impossible dates, unquoted: YAML would make them timestamps
    "feb30": ("move_in: '2020-01-01'", "move_in: 2021-02-30", "不存在的日期"),
    "month13": ("move_in: '2020-01-01'", "move_in: 2021-13-01", "不存在的日期"),
    "hour25": ("move_in: '2020-01-01'", "move_in: 2021-03-01T25:00:00", "不存在的日期"),
    "date-too-early": ("move_in: '2020-01-01'", "move_in: 0001-01-01", "超出允许的范围"),
    "date-too-late": ("move_in: '2020-01-01'", "move_in: '9999-12-30'", "超出允许的范围"),
}


@pytest.mark.parametrize("case", sorted(YAML_CASES))
def test_impossible_dates_are_refused_with_their_place(
    case: str, seeded: Path, tmp_path: Path
) -> None:
    old, new, words = YAML_CASES[case]
    text = yaml.safe_dump(make_dossier(hr=3, others=1), allow_unicode=True, sort_keys=False)
    assert f"  {old}" in text
    text = text.replace(f"  {old}", f"  {new}", 1)
    path = tmp_path / "bad.yaml"
    path.write_text(text, "utf-8")
    before = dump(seeded)
    refused("import", path, where=str(path), says=words)
    assert dump(seeded) == before


NAME_CASES = {
    "mapping": ("{a: 1}", "应为单个值"),
    "list": ("[a, b]", "应为单个值"),
    "set": ("!!set {a, b}", "应为单个值"),
    "binary": ("!!binary aGVsbG8=", "应为单个值"),
    "nul": ('"a\\0b"', "控制字符"),
    "bell": ('"a\\x07b"', "控制字符"),
    "newline": ('"a\\nb"', "换行符"),
    "huge": ("x" * 100_000, "文字过长"),
    "unhashable-key": ("\n    ? [a, b]\n    : 1", "键应为文字或数字"),
}


@pytest.mark.parametrize("case", sorted(NAME_CASES))
def test_a_tenant_name_that_is_no_text_is_refused(case: str, seeded: Path, tmp_path: Path) -> None:
    raw, words = NAME_CASES[case]
    path = tmp_path / "name.yaml"
    path.write_text(_yaml_with_tenant_name(raw), "utf-8")
    before = dump(seeded)
    result = refused("import", path, where=str(path), says=words)
    assert len(result.stderr) < 2000  # the refused value is never repeated whole
    assert dump(seeded) == before


def test_a_revenue_year_that_is_a_list_is_refused(seeded: Path, tmp_path: Path) -> None:
    text = yaml.safe_dump(make_dossier(hr=3, others=1), allow_unicode=True, sort_keys=False)
    text = text.replace("    2023: 1500万", "    ? [2023]\n    : 1500万", 1)
    path = tmp_path / "rev.yaml"
    path.write_text(text, "utf-8")
    refused("import", path, where=str(path), says="键应为文字或数字")


def test_json_lone_surrogate_and_deep_nesting(seeded: Path, tmp_path: Path) -> None:
    data = make_dossier(hr=3, others=1)
    data["tenants"][0]["name"] = "PLACEHOLDER"
    text = json.dumps(data, ensure_ascii=True).replace("PLACEHOLDER", "a\\ud800b")
    path = tmp_path / "s.json"
    path.write_text(text, "utf-8")
    before = dump(seeded)
    refused("import", path, where=str(path), says="孤立的代理字符")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    refused("import", deep, where=str(deep), says="嵌套")
    deep_yaml = tmp_path / "deep.yaml"
    deep_yaml.write_text("a: " + "[" * 100_000 + "]" * 100_000, "utf-8")
    refused("import", deep_yaml, where=str(deep_yaml), says="嵌套")
    assert dump(seeded) == before


def test_only_regular_files_of_bounded_size_are_read(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump(seeded)
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    refused("import", fifo, where=str(fifo), says="不是普通文件")  # and it does not hang
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    refused("import", zero, where=str(zero), says="不是普通文件")
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    refused("import", folder, where=str(folder), says="目录")
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * (2 << 20), "utf-8")
    monkeypatch.setenv("PARKEVAL_MAX_INPUT_MB", "1")
    refused("import", big, where=str(big), says="PARKEVAL_MAX_INPUT_MB")
    assert dump(seeded) == before


def test_a_policy_file_with_an_impossible_date(tmp_path: Path) -> None:
    from parkeval.resources import policies_dir

    text = (policies_dir() / "gx-2021.yaml").read_text("utf-8")
    assert "issued_on: " in text
    start = text.index("issued_on: ") + len("issued_on: ")
    end = text.index("\n", start)
    path = tmp_path / "p.yaml"
    path.write_text(text[:start] + "2024-02-30" + text[end:], "utf-8")
    refused("--policy-file", path, "policies", where=str(path), says="不存在的日期")
    checked = run("policy", "check", path)  # the checker lists problems and exits 1
    assert checked.exit_code == 1 and "不存在的日期" in checked.output


def test_options_out_of_range(seeded: Path) -> None:
    before = dump(seeded)
    refused("status", "--all", "--as-of", "9999-12-31", says="超出允许的范围")
    refused("due", "--all", "--as-of", "9999-12-31", says="超出允许的范围")
    refused("due", "--all", "--within", "999999999", says="--within")
    refused("report", "test-park", "--policy", "gx-2021", "--year", "99999", says="--year")
    for by in ("   ", "a\nb", "x" * 100_000, "a\x00b"):
        result = refused("--by", by, "grant", "test-park", "--policy", "gx-2021", says="--by")
        assert len(result.stderr) < 500
    refused("whatif", "test-park", "--policy", "gx-2021", "--revenue", "+²%")
    assert dump(seeded) == before


# --------------------------------------------------------------------------- workbooks


def _workbook(tmp_path: Path, edit) -> Path:
    from openpyxl import load_workbook

    path = tmp_path / "w.xlsx"
    write_dossier(path, make_dossier(hr=3, others=1))
    wb = load_workbook(path)
    edit(wb["入驻机构"])
    wb.save(path)
    return path


def test_formula_error_and_numeric_credit_code_cells(seeded: Path, tmp_path: Path) -> None:
    def formula(ws):
        ws["H2"] = '=WEBSERVICE("http://example.invalid")'

    def error(ws):
        ws["B3"] = "#REF!"
        ws["B3"].data_type = "e"

    def number(ws):
        ws["A2"] = 9.145040012345678e17

    before = dump(seeded)
    path = _workbook(tmp_path, formula)
    refused("import", path, where="第 2 行 H 列", says="请将公式粘贴为数值")
    path = _workbook(tmp_path, error)
    refused("import", path, where="第 3 行 B 列", says="#REF!")
    path = _workbook(tmp_path, number)
    refused("import", path, where="第 2 行 A 列", says="存成了数字")
    assert dump(seeded) == before


# --------------------------------------------------------------------------- bombs


def _alias_bomb() -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    return _yaml_with_tenant_name("*i").replace("park:", "\n".join(lines) + "\npark:", 1)


def _shared_strings_bomb(path: Path) -> None:
    """An .xlsx whose shared-strings part holds 1.2 million strings (a few hundred KB)."""
    buf = io.BytesIO()
    write_dossier(buf_path := path.with_suffix(".seed.xlsx"), make_dossier(hr=1, others=0))
    with zipfile.ZipFile(buf_path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        body = b"<si><t>x</t></si>" * 1_200_000
        out.writestr(
            "xl/sharedStrings.xml",
            b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            b'2006/main" count="1" uniqueCount="1">' + body + b"</sst>",
        )
    path.write_bytes(buf.getvalue())


def _whitespace_bomb(path: Path) -> None:
    """An .xlsx whose first sheet is 250 MB of whitespace once unpacked (~250 KB packed)."""
    seed = path.with_suffix(".seed.xlsx")
    write_dossier(seed, make_dossier(hr=1, others=0))
    with zipfile.ZipFile(seed) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet2.xml":
                data = src.read(info)
                cut = data.index(b"<sheetData>") + len(b"<sheetData>")
                with out.open(info.filename, "w", force_zip64=True) as handle:
                    handle.write(data[:cut])
                    chunk = b" " * (1 << 20)
                    for _ in range(250):
                        handle.write(chunk)
                    handle.write(data[cut:])
            else:
                out.writestr(info, src.read(info))


BOMBS = {
    "yaml-alias": ("bomb.yaml", lambda p: p.write_text(_alias_bomb(), "utf-8"), "展开后超过"),
    "shared-strings": ("ss.xlsx", _shared_strings_bomb, "不同的文字超过"),
    "whitespace": ("ws.xlsx", _whitespace_bomb, "解压后过大"),
    "huge-name": (
        "name.yaml",
        lambda p: p.write_text(_yaml_with_tenant_name("y" * (20 << 20)), "utf-8"),
        "文字过长",
    ),
}


@pytest.mark.parametrize("case", sorted(BOMBS))
def test_bombs_are_refused_in_bounded_memory(case: str, seeded: Path, tmp_path: Path) -> None:
    name, make, words = BOMBS[case]
    path = tmp_path / name
    make(path)
    assert path.stat().st_size < 25 << 20
    before = dump(seeded)
    code, stderr, peak_mb = run_limited(["import", str(path)], env={"PARKEVAL_DB": str(seeded)})
    assert code == 2, stderr
    assert "Traceback" not in stderr and "MemoryError" not in stderr
    assert str(path) in stderr and words in stderr, stderr
    assert peak_mb < 600, peak_mb  # measured: see README, "Limits and safety"
    assert dump(seeded) == before
