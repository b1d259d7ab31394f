"""YAML and JSON dossiers → raw rows (a tenant's ``revenue: {year: amount}`` becomes rows of
the revenue section), each pinned to its YAML path. Numbers stay exact: YAML floats and
JSON numbers are read as :class:`~decimal.Decimal`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from parkeval.errors import InputError, Problem
from parkeval.intake.schema import SECTIONS, RawDossier, RawRow, RowRef
from parkeval.limits import shown


def load_structured(path: Path, data: bytes) -> Any:
    """Parse a YAML or JSON file's bytes strictly (exact numbers, no duplicate keys)."""
    if path.suffix.lower() == ".json":

        def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for k, v in pairs:
                if k in out:
                    raise ValueError(f"重复的键 “{k}”")
                out[k] = v
            return out

        try:
            return json.loads(
                data.decode("utf-8"), parse_float=Decimal, object_pairs_hook=no_duplicates
            )
        except UnicodeDecodeError:
            raise InputError([Problem(str(path), "不是 UTF-8 编码的文本")]) from None
        except json.JSONDecodeError as exc:
            raise InputError(
                [
                    Problem(
                        str(path),
                        f"第 {exc.lineno} 行第 {exc.colno} 列：JSON 格式错误（{exc.msg}）",
                    )
                ]
            ) from None
        except ValueError as exc:
            raise InputError([Problem(str(path), str(exc))]) from None
        except RecursionError:
            raise InputError([Problem(str(path), "JSON 嵌套层数过多")]) from None
    import yaml

    from parkeval.yamlio import describe_yaml_error, load_yaml

    try:
        return load_yaml(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError([Problem(str(path), "不是 UTF-8 编码的文本")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(str(path), describe_yaml_error(exc))]) from None


def _mapping_row(
    file: str,
    section: str,
    index: int | None,
    value: Any,
    problems: list[Problem],
    path: str | None = None,
) -> RawRow | None:
    spec = SECTIONS[section]
    ref = RowRef(file, section, index=index, path=path)
    if not isinstance(value, dict):
        problems.append(Problem(ref.at(), "应为键值映射（如 {code: core, name: 核心园区, …}）"))
        return None
    known = {f.key for f in spec.fields}
    for key in value:
        if key not in known:
            problems.append(
                Problem(ref.at(shown(key)), f"未知的字段；可用的字段：{', '.join(sorted(known))}")
            )
    if section == "tenants" and value.get("name"):
        ref.label = shown(value["name"])
    return RawRow({k: v for k, v in value.items() if k in known}, ref)


def raw_from_mapping(data: Any, *, source: str, sha256: str) -> RawDossier:
    """Turn a parsed YAML/JSON document into raw rows (tenant revenue becomes revenue rows)."""
    problems: list[Problem] = []
    raw = RawDossier(source, sha256)
    if data is None or data == {} or data == []:
        raise InputError(
            [
                Problem(
                    source,
                    "文件为空：没有园区、场地或入驻机构数据（用 parkeval template 生成模板）",
                )
            ]
        )
    if not isinstance(data, dict):
        raise InputError([Problem(source, "顶层应为键值映射，包含 park、sites、tenants 等")])
    for key in data:
        if key not in SECTIONS or key == "revenue":
            known = ", ".join(k for k in SECTIONS if k != "revenue")
            problems.append(Problem(f"{source} {shown(key)}", f"未知的部分；可用的部分：{known}"))
    park = data.get("park")
    if park is not None:
        if (row := _mapping_row(source, "park", None, park, problems)) is not None:
            raw.sections["park"] = [row]
    for section in SECTIONS:
        if section in ("park", "revenue", "attestations") or section not in data:
            continue
        items = data[section]
        if items is None:
            items = []
        if not isinstance(items, list):
            problems.append(Problem(f"{source} {section}", "应为列表（每项以 - 开头）"))
            continue
        rows = raw.sections.setdefault(section, [])
        for i, item in enumerate(items):
            if section == "tenants" and isinstance(item, dict):
                item = dict(item)
                revenue = item.pop("revenue", None)
                label = None if item.get("name") is None else shown(item["name"])
                if revenue is not None:
                    prefix = f"tenants[{i}].revenue"
                    if not isinstance(revenue, dict):
                        problems.append(
                            Problem(
                                f"{source} {prefix}",
                                "应为 {年份: 金额} 的映射，如 {2023: 32000000}",
                            )
                        )
                    else:
                        for year, amount in revenue.items():
                            ref = RowRef(
                                source, "revenue", path=f"{prefix}.{shown(year)}", label=label
                            )
                            raw.sections.setdefault("revenue", []).append(
                                RawRow(
                                    {
                                        "credit_code": item.get("credit_code"),
                                        "year": year,
                                        "amount_yuan": amount,
                                    },
                                    ref,
                                )
                            )
            if (row := _mapping_row(source, section, i, item, problems)) is not None:
                rows.append(row)
    attestations = data.get("attestations")
    if attestations is not None:
        if not isinstance(attestations, dict):
            problems.append(
                Problem(f"{source} attestations", "应为 {条件编号: {met, evidence, note}} 的映射")
            )
        else:
            rows = raw.sections.setdefault("attestations", [])
            for criterion_id, item in attestations.items():
                path = f"attestations.{shown(criterion_id)}"
                if not isinstance(item, dict):
                    problems.append(
                        Problem(f"{source} {path}", "应为 {met: true, evidence: …, note: …}")
                    )
                    continue
                row = _mapping_row(
                    source,
                    "attestations",
                    None,
                    {"criterion_id": criterion_id, **item},
                    problems,
                    path=path,
                )
                if row is not None:
                    rows.append(row)
    if problems:
        raise InputError(problems)
    return raw
