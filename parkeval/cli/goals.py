"""``parkeval goals``: the source documents' development goals against the recorded parks."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from parkeval.cli.app import app
from parkeval.cli.common import JsonOpt, console, echo_json, parse_date_option, settings_of
from parkeval.errors import ParkevalError

STATUS_STYLE = {"met": "green", "open": "yellow", "missed": "red", "no_record": "dim"}


@app.command()
def goals(
    ctx: typer.Context,
    park: Annotated[str | None, typer.Argument(help="园区编码。Park code.")] = None,
    city: Annotated[
        str | None,
        typer.Option("--city", help="城市（如 包头市、包头）：该市全部已记录园区。A city."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="统计日 YYYY-MM-DD（默认今天）。")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """发展目标：各文件提出的园区与全市目标，对照已记录的实际数据。Development goals vs actuals.

    园区目标对照该园区；全市目标对照该市全部已记录园区的合计。显示差距、按期达成每年需增长多少，
    以及状态（已达成、未达成、期限已过未达成、无记录）。本库不记录的数据显示为无记录，不算达成。
    额外的目标文件用 --goals-file 或 PARKEVAL_GOALS_PATH 加入。
    """
    from parkeval.app.goals import city_goals, park_goals

    if (park is None) == (city is None):
        raise ParkevalError(
            "请给出一个园区编码，或使用 --city（二者选一）",
            hint="例如：parkeval goals bt-pass，或 parkeval goals --city 包头市",
        )
    settings = settings_of(ctx)
    day = parse_date_option(as_of, "--as-of")
    result = (
        park_goals(settings, park, day)
        if park is not None
        else city_goals(settings, city or "", day)
    )
    if json_out:
        echo_json(result)
        return
    render_goals(result)


def render_goals(result: Any) -> None:
    """The goals as one table per document, then the wording and interpretations."""
    from rich.table import Table
    from rich.text import Text

    from parkeval.domain.wording import format_date

    out = console()
    who = result.park_names.get(result.park, result.park) if result.park else f"{result.city}"
    out.print(f"[bold]{who}[/] 发展目标，截至 {format_date(result.as_of)}")
    if not result.goals:
        out.print("  没有适用于该园区所在城市的发展目标文件（可用 --goals-file 加入）")
        return
    for doc in result.documents:
        mine = [g for g in result.goals if g.goals_id == doc["id"]]
        out.print(f"\n[bold]{doc['title']}[/]")
        if doc["draft"]:
            out.print("  [yellow]注意：征求意见稿，非正式文件；目标仅供参考[/]")
        table = Table(header_style="bold")
        for name in ("范围", "目标", "年份", "目标值", "实际", "状态", "差距与所需增长"):
            table.add_column(name, overflow="fold")
        for g in mine:
            scope = f"全市合计（{len(g.parks)}个园区）"
            if g.scope == "park":
                scope = "本园区" if result.park else result.park_names.get(g.parks[0], g.parks[0])
            actual = g.actual_text + (f"（{g.actual_year}年）" if g.actual_year else "")
            table.add_row(
                scope,
                g.name,
                f"{g.year}年",
                g.target_text,
                actual,
                Text(g.status_name, style=STATUS_STYLE[g.status]),
                "；".join(x for x in (g.gap_text, g.growth_text) if x),
            )
        out.print(table)
        for g in mine:
            lines = [f"  · {g.name}（{g.article}）：“{g.wording}”"]
            if g.stretch_text:
                lines.append(f"    力争目标（单列，不作为目标）：{g.stretch_text}")
            if g.interpretation:
                lines.append(f"    理解：{g.interpretation}")
            if g.note:
                lines.append(f"    说明：{g.note}")
            for line in lines:
                out.print(line, highlight=False, soft_wrap=True)
