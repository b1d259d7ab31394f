"""The words of the rewards results: lists and titles, levels, forms, money written exactly."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

LIST_NAMES = {
    "hroot_top100": "HROOT人力资源服务机构百强榜单",
    "integrity_demo": "诚信示范单位（机构）",
    "backbone": "人力资源服务业骨干企业",
    "city_top10": "全市人力资源服务业10强",
    "national_service500": "全国服务业500强",
    "hr_top100": "人力资源服务机构100强",
    "world500": "世界500强",
    "china500": "中国500强",
    "china_service500": "中国服务业500强",
    "high_tech": "国家高新技术企业",
    "provincial_top100": "全省综合100强",
    "top10_headhunting": "全省猎头10强",
    "top10_dispatch": "全省派遣10强",
    "top10_outsourcing": "全省服务外包10强",
    "top10_online": "全省网络招聘10强",
    "top10_assessment": "全省测评10强",
    "top10_training": "全省培训10强",
    "top10_consulting": "全省管理咨询10强",
    "hr_park": "人力资源产业园",
    "talent_elite": "引才精英",
    "export_base": "人力资源出口示范基地",
    "innovation_contest": "人力资源服务产品创新大赛获奖",
    "contest_project_landed": "获奖项目落地",
    "postdoc_station": "博士后科研工作站",
    "postdoc_base": "博士后创新实践基地",
    "incubator": "创业孵化基地",
    "skill_base": "高技能人才培训基地",
    "master_studio": "技能大师工作室",
}
LEVEL_WORDS = {"national": "国家级", "provincial": "省级", "city": "市级", "county": "县级"}
FORM_WORDS = {
    "headquarters": "总部",
    "regional_headquarters": "区域性总部",
    "subsidiary": "控股子公司",
    "branch": "分支机构",
}
CATEGORY_WORDS = {
    "graduate": "大学生",
    "high_skilled": "高技能人才",
    "recommended_talent": "推荐人才",
    "referred_talent": "引进人才",
    "poverty_relieved": "脱贫人口",
    "laid_off": "下岗失业人员",
    "returning_migrant": "返乡农民工",
}
OP_WORDS = {">=": "不少于", ">": "超过", "<=": "不超过", "<": "低于"}
_WAN = Decimal(10_000)
_YI = Decimal(100_000_000)


@lru_cache(maxsize=8192)
def money(amount: Decimal | int) -> str:
    """Money exactly as a bureau writes it: 10万元, 1.5亿元, 12,345.5元 — never rounded."""
    value = Decimal(amount)
    for unit, size in (("亿元", _YI), ("万元", _WAN)):
        if abs(value) >= size and (value / size) == (value / size).quantize(Decimal("0.0001")):
            return f"{(value / size).normalize():f}{unit}"
    text = f"{value.quantize(Decimal('0.01')):,f}"
    return text.removesuffix(".00") + "元"


def honour_name(code: str | None, level: str | None = None) -> str:
    """A list or title in words, with its level: 省级诚信示范单位（机构）."""
    name = LIST_NAMES.get(code or "", code or "")
    return f"{LEVEL_WORDS.get(level or '', '')}{name}"
