"""A synthetic province of park dossiers, for benchmarks, demos and scale tests.

Deterministic for a seed. Parks are Guangxi-style (gx-2021 sized) or Baotou-style (bt-2022
sized), single- or multi-site, with valid credit codes (GB 32100-2015 check character),
tenants that move in and out, exact money with fen, and each park drawn from a profile:
most pass, the rest fall short of one threshold (HR institutions, occupancy, revenue,
area, growth) or lack a qualitative attestation — so both verdicts appear under both
policies.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from parkeval.values import CREDIT_CODE_CHARSET, credit_code_check_char

LAST_YEAR = 2024

# (province, city, 6-digit administrative division code) — real prefixes, synthetic parks.
CITIES = (
    ("广西壮族自治区", "南宁市", "450100"),
    ("广西壮族自治区", "柳州市", "450200"),
    ("广西壮族自治区", "桂林市", "450300"),
    ("广西壮族自治区", "梧州市", "450400"),
    ("广西壮族自治区", "北海市", "450500"),
    ("广西壮族自治区", "玉林市", "450900"),
    ("内蒙古自治区", "包头市", "150200"),
    ("内蒙古自治区", "包头市", "150203"),
)
_TENANT_WORDS = (
    "智联",
    "才富",
    "聚贤",
    "英才",
    "众诚",
    "博远",
    "汇智",
    "启航",
    "锦程",
    "金桥",
    "星程",
    "卓越",
    "恒信",
    "华誉",
    "联合",
    "瑞丰",
    "中才",
    "创新",
    "宏图",
    "优才",
)
_HR_KINDS = (
    "人力资源有限公司",
    "人才服务有限公司",
    "劳务派遣有限公司",
    "管理咨询有限公司",
    "猎头服务有限公司",
)
_OTHER_KINDS = ("餐饮管理有限公司", "律师事务所", "培训学校", "信息技术有限公司", "会计师事务所")
# The built-in policies the two styles of park are drawn for; every park attests to the
# qualitative criteria of both (read from the policy files, in file order).
STYLE_POLICIES = ("gx-2021", "bt-2022")
PROFILES = (
    ("pass", 55),
    ("few_hr", 10),
    ("low_occupancy", 10),
    ("low_revenue", 10),
    ("small_area", 5),
    ("shrinking", 5),
    ("no_evidence", 5),
)


@lru_cache(maxsize=1)
def qualitative_criteria() -> tuple[str, ...]:
    """The ids of the built-in policies' qualitative criteria (those a dossier attests to)."""
    from parkeval.policy.loader import load_registry

    registry = load_registry()
    return tuple(
        c.id
        for pid in STYLE_POLICIES
        for c in registry.get(pid).criteria
        if c.kind == "qualitative"
    )


def credit_code(rng: random.Random, region: str) -> str:
    """A valid synthetic 统一社会信用代码 in a region (GB 32100-2015 check character)."""
    body = "91" + region + "".join(rng.choice(CREDIT_CODE_CHARSET) for _ in range(9))
    return body + credit_code_check_char(body)


def _money(rng: random.Random, mean: Decimal) -> str:
    """An exact amount near ``mean`` with fen, as text (never a float)."""
    fen = int(mean * 100 * Decimal(rng.uniform(0.6, 1.4)))
    return str(Decimal(fen) / 100)


def _split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    s = sum(weights)
    return [(total * Decimal(w / s)).quantize(Decimal("0.01")) for w in weights]


def park_code(index: int) -> str:
    """The code of the ``index``-th synthetic park (its file is named after it)."""
    _province, _city, region = CITIES[index % len(CITIES)]
    return f"{'bt' if region.startswith('15') else 'gx'}-{index:05d}"


def park(index: int, *, tenants: int, years: int, seed: int) -> dict[str, Any]:
    """One park's dossier mapping (the YAML shape), deterministic for (index, seed)."""
    rng = random.Random(f"{seed}:{index}")
    province, city, region = CITIES[index % len(CITIES)]
    style = "bt" if region.startswith("15") else "gx"
    profile = rng.choices([p for p, _ in PROFILES], [w for _, w in PROFILES])[0]
    multi = style == "gx" and rng.random() < 0.3

    # sites and areas: gx single ≥5000㎡, multi core ≥3000 and total ≥8000; bt ≥3000 in principle
    if multi:
        sites = [
            {
                "code": "core",
                "name": "核心园区",
                "role": "core",
                "building_area_m2": rng.randint(4000, 7000),
            }
        ]
        sites += [
            {
                "code": f"b{k}",
                "name": f"第{k}分园",
                "role": "branch",
                "building_area_m2": rng.randint(2500, 4000),
            }
            for k in (1, 2)[: rng.randint(1, 2)]
        ]
    else:
        low, high = (5000, 9000) if style == "gx" else (3000, 6000)
        sites = [
            {
                "code": "core",
                "name": "园区",
                "role": "core",
                "building_area_m2": rng.randint(low, high),
            }
        ]
    if profile == "small_area":
        for s in sites:
            s["building_area_m2"] = int(s["building_area_m2"] * 0.55)

    hr_share = 0.75 if profile != "few_hr" else 0.12
    occupancy = rng.uniform(0.66, 0.9) if profile != "low_occupancy" else rng.uniform(0.3, 0.45)
    park_revenue = Decimal(
        rng.randint(6, 12) * 10**8 if style == "gx" else rng.randint(15, 40) * 10**7
    )
    if profile == "low_revenue":
        park_revenue = park_revenue / 3
    growth = Decimal("1.06") if profile != "shrinking" else Decimal("0.9")

    # tenants: spread over sites in proportion to area; a few moved out, a few moved in lately
    site_of = [
        sites[0]["code"]
        if k % 3 or len(sites) == 1
        else sites[1 + k // 3 % (len(sites) - 1)]["code"]
        for k in range(tenants)
    ]
    per_site = {s["code"]: site_of.count(s["code"]) for s in sites}
    leased: dict[str, list[Decimal]] = {
        s["code"]: _split(
            Decimal(s["building_area_m2"]) * Decimal(occupancy), max(per_site[s["code"]], 1), rng
        )
        for s in sites
    }
    codes: set[str] = set()
    rows = []
    for k in range(tenants):
        code = credit_code(rng, region)
        while code in codes:
            code = credit_code(rng, region)
        codes.add(code)
        hr = rng.random() < hr_share
        word = rng.choice(_TENANT_WORDS)
        move_in = dt.date(
            rng.randint(LAST_YEAR - years - 4, LAST_YEAR - years), rng.randint(1, 12), 1
        )
        moved_out = rng.random() < 0.03
        move_out = dt.date(LAST_YEAR - 1, rng.randint(1, 12), 15) if moved_out else None
        last = LAST_YEAR - 1 if moved_out else LAST_YEAR
        base = park_revenue / tenants
        revenue = {}
        for y in range(LAST_YEAR - years + 1, last + 1):
            factor = growth ** (y - LAST_YEAR)
            revenue[y] = _money(rng, base * factor)
        rows.append(
            {
                "credit_code": code,
                "name": f"{city[:-1]}{word}{_HR_KINDS[k % 5] if hr else _OTHER_KINDS[k % 5]}{index:04d}{k:03d}",
                # every class a 许可证 or 备案 gives, in turn (all count under gx and bt)
                "hr_class": ("licensed", "filed", "licensed_or_filed")[k % 3] if hr else "none",
                "license_no": f"{region}{2015 + k % 10}{k:05d}" if hr else None,
                "site": site_of[k],
                "leased_area_m2": str(leased[site_of[k]].pop()) if leased[site_of[k]] else None,
                "move_in": move_in.isoformat(),
                "move_out": move_out.isoformat() if move_out else None,
                "revenue": revenue,
            }
        )
    wanted = qualitative_criteria()
    attestations = {c: {"met": True, "evidence": f"材料/{c}.pdf"} for c in wanted}
    if profile == "no_evidence":
        attestations.pop(rng.choice(wanted))
    return {
        "park": {
            "code": park_code(index),
            "name": f"{city}第{index}人力资源服务产业园（合成）",
            "province": province,
            "city": city,
            "operator": f"{city}人力资源产业园运营有限公司",
            "operator_type": "company",
            "full_time_staff": rng.randint(3, 30),
        },
        "sites": sites,
        "tenants": rows,
        "attestations": attestations,
    }


def province(*, parks: int, tenants: int, years: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    """Every park's dossier mapping of a synthetic province, deterministic for the seed."""
    for i in range(parks):
        yield park(i, tenants=tenants, years=years, seed=seed)


def _write_one(args: tuple[int, int, int, int, str, str, bool]) -> str:
    from parkeval.outputs import write_output

    index, tenants, years, seed, fmt, out, force = args
    mapping = park(index, tenants=tenants, years=years, seed=seed)
    path = Path(out) / f"{mapping['park']['code']}.{fmt}"
    if fmt == "json":
        data = json.dumps(mapping, ensure_ascii=False).encode("utf-8")
        write_output(path, data, suffixes=[".json"], force=force)
    elif fmt == "yaml":
        import yaml

        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        text = yaml.dump(mapping, Dumper=dumper, allow_unicode=True, sort_keys=False)
        write_output(path, text.encode("utf-8"), suffixes=[".yaml"], force=force)
    else:
        from parkeval.intake.template import write_dossier

        write_dossier(path, mapping, force=force)
    return str(path)


def write_province(
    out: Path,
    *,
    parks: int,
    tenants: int,
    years: int,
    seed: int = 1,
    fmt: str = "yaml",
    jobs: int | None = None,
    force: bool = False,
) -> list[Path]:
    """Write one dossier file per park into ``out`` (made if missing, when its parent
    exists); xlsx uses every core. An existing file is refused before any is written, unless
    ``force``."""
    import os

    from parkeval.outputs import check_output, prepare_directory

    out = prepare_directory(Path(out))
    for i in range(parks):
        check_output(out / f"{park_code(i)}.{fmt}", suffixes=[f".{fmt}"], force=force)
    work = [(i, tenants, years, seed, fmt, str(out), force) for i in range(parks)]
    jobs = jobs or (os.cpu_count() or 1 if fmt == "xlsx" and parks > 4 else 1)
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs) as pool:
            return [Path(p) for p in pool.map(_write_one, work, chunksize=8)]
    return [Path(_write_one(w)) for w in work]
