"""Corrections: void (withdraw a wrong record, keeping it) and retire (hide a park from lists).

Each parses options, calls one function of :mod:`parkeval.app.lifecycle` and renders the
result; ``--json`` prints exactly what the library returns.
"""

from typing import Annotated

import typer

from parkeval.cli.app import app
from parkeval.cli.common import JsonOpt, ParkArg, console, echo_json, parse_date_option, settings_of


@app.command("void")
def void_(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            help="记录类型：grant 认定、rating 正式等次、proposal 建议等次、confirmation 审核确认、"
            "rectification 整改完成、application 认定申请、target 年度目标、waiver 原则性条件说明、"
            "retirement 停用（也可写中文名称，如 认定、正式等次）。Record kind.",
        ),
    ],
    record_id: Annotated[
        int,
        typer.Argument(metavar="ID", help="记录编号（parkeval status 中 # 后的数字）。Record id."),
    ],
    reason: Annotated[
        str, typer.Option("--reason", help="撤销的理由。Why the record is withdrawn.")
    ] = ...,  # type: ignore[assignment]
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="决定撤销的单位（默认：全局 --by，否则原记录记载的单位，否则政策本地设置的评定单位；从不取操作系统账户）。Who decided.",
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """撤销一条记录（保留原记录并注明撤销理由，不删除）。Withdraw a wrong record; nothing is deleted.

    更正一条记录 = 撤销原记录 + 记录正确的新记录。撤销的记录仍在数据库中，审计日志保留两者；
    status --include-voided 与报告会列出被撤销的记录。
    """
    from parkeval.app.lifecycle import void as run
    from parkeval.domain.wording import KIND_NAMES

    kind = {name: k for k, name in KIND_NAMES.items()}.get(kind, kind)  # 认定 → grant
    result = run(settings_of(ctx), kind, record_id, reason=reason, by=by)
    if json_out:
        echo_json(result)
        return
    from parkeval.domain.wording import KIND_NAMES

    console().print(
        f"已撤销园区 [bold]{result.park}[/] 的{KIND_NAMES[result.kind]}记录 #{result.record_id}"
        f"（{result.reason}；{result.by}）。原记录保留，撤销记录编号 #{result.id}。"
    )


@app.command()
def retire(
    ctx: typer.Context,
    park: ParkArg,
    reason: Annotated[str, typer.Option("--reason", help="停用的理由。Why.")] = ...,  # type: ignore[assignment]
    by: Annotated[
        str | None,
        typer.Option("--by", help="决定停用的单位（默认全局 --by；未给出时须填写）。Who decided."),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="停用日期 YYYY-MM-DD（默认今天）。")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """停用园区：保留全部数据与历史，不再出现在列表和 --all 中。Retire a park (kept, hidden).

    恢复：parkeval void retirement 记录编号。
    """
    from parkeval.app.lifecycle import retire as run

    result = run(settings_of(ctx), park, reason=reason, by=by, on=parse_date_option(on, "--on"))
    if json_out:
        echo_json(result)
        return
    console().print(
        f"已停用园区 [bold]{park}[/]（{result.retired_on}，{result.reason}；记录编号 #{result.id}）。"
        f"恢复：parkeval void retirement {result.id} --reason …"
    )
