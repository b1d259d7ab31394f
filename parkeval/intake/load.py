"""Reading a dossier file of any supported format (.xlsx, .yaml/.yml, .json) and validating it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from parkeval.errors import InputError, Problem
from parkeval.intake.schema import Dossier, RawDossier
from parkeval.intake.structured import load_structured, raw_from_mapping
from parkeval.intake.validate import validate
from parkeval.limits import read_input


def read_raw(path: Path) -> RawDossier:
    """Read a dossier file of any supported format into raw rows."""
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json", ".xlsx"):
        raise InputError([Problem(str(path), "不支持的文件类型；应为 .xlsx、.yaml、.yml 或 .json")])
    try:
        data = read_input(path)
    except FileNotFoundError:
        raise InputError([Problem(str(path), "文件不存在")]) from None
    except ValueError as exc:
        raise InputError([Problem(str(path), str(exc))]) from None
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError(
            [
                Problem(
                    str(path),
                    "文件为空：没有园区、场地或入驻机构数据（用 parkeval template 生成模板）",
                )
            ]
        )
    if suffix == ".xlsx":
        from parkeval.intake.xlsx import read_workbook

        return read_workbook(path, data, sha256=digest)
    return raw_from_mapping(load_structured(path, data), source=str(path), sha256=digest)


def load_dossier(path: Path) -> Dossier:
    """Read and validate one dossier file."""
    return validate(read_raw(path))
