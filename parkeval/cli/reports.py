"""Report commands: report (one park, or --all with a summary) and verify.

WeasyPrint is imported only inside these commands, when a PDF is rendered.
"""

from pathlib import Path
from typing import Annotated, Any

import typer

from parkeval.cli.app import app
from parkeval.cli.common import (
    IncludeOutsideOpt,
    IncludeRetiredOpt,
    console,
    parse_date_option,
    select_all,
    settings_of,
)
from parkeval.errors import ParkevalError

KIND_HELP = (
    "报告类型：certification 认定评估、self_evaluation 自评、assessment 考核评估。Report kind."
)


def warn_if_slow_subsetting() -> None:
    """Say once, plainly, when fonts will be subset by WeasyPrint's slow pure-Python path."""
    from parkeval.report.render import HARFBUZZ_HINT, harfbuzz_subset_available

    if not harfbuzz_subset_available():
        from rich.console import Console

        Console(stderr=True, soft_wrap=True).print(f"[yellow]提示[/]：{HARFBUZZ_HINT}")


@app.command()
def report(
    ctx: typer.Context,
    park: Annotated[str | None, typer.Argument(help="园区编码。Park code.")] = None,
    policy: Annotated[
        str, typer.Option("--policy", "-p", help="政策编号，如 gx-2021。Policy id.")
    ] = ...,  # type: ignore[assignment]
    all_parks: Annotated[
        bool,
        typer.Option(
            "--all", help="为全部园区各生成一份报告并生成汇总报告。Every park + a summary."
        ),
    ] = False,
    year: Annotated[
        int | None, typer.Option(help="评估年度（默认：最近的完整年度）。Assessment year.")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="统计入驻情况的日期 YYYY-MM-DD（默认：该年 12 月 31 日）。"),
    ] = None,
    kind: Annotated[str, typer.Option("--kind", help=KIND_HELP)] = "certification",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="输出 PDF 文件（单个园区）。Output PDF.")
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out-dir", help="输出目录（--all 时必填）。Output directory.")
    ] = None,
    html: Annotated[
        bool,
        typer.Option("--html", help="输出 HTML 而不是 PDF（便于检查版式）。Write HTML instead."),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option("--workers", help="并行进程数（默认：CPU 核数）。Processes for --all."),
    ] = None,
    report_date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="报告日期 YYYY-MM-DD（默认今天）：认定状态与考核历史以该日为准。Report date.",
        ),
    ] = None,
    include_outside: IncludeOutsideOpt = False,
    include_retired: IncludeRetiredOpt = False,
    risks: Annotated[
        bool,
        typer.Option(
            "--risks",
            help="加入“风险提示”：一旦单独迁出即会使某项条件不达标的入驻机构。Departure risks.",
        ),
    ] = False,
) -> None:
    """生成评估报告 PDF（中文，可打印签署，内嵌机器可读结果）。Render a PDF report.

    例如 / e.g.: parkeval report gx-pass --policy gx-2021 --year 2024 --out gx-pass.pdf
    """
    from parkeval.report.payload import KINDS

    if (park is None) == (not all_parks):
        raise ParkevalError(
            "请给出一个园区编码，或使用 --all（二者选一）",
            hint="例如：parkeval report gx-pass --policy gx-2021 --out 报告.pdf",
        )
    if kind not in KINDS:
        raise ParkevalError(f"未知的报告类型 “{kind}”", hint="可选：" + "、".join(KINDS))
    if all_parks and out_dir is None:
        raise ParkevalError(
            "--all 需要 --out-dir 指定输出目录",
            hint="例如：parkeval report --all --policy gx-2021 --out-dir reports/",
        )
    if all_parks and (out is not None or html):
        raise ParkevalError("--all 与 --out、--html 不能同时使用；用 --out-dir 指定目录")
    settings = settings_of(ctx)
    date = parse_date_option(as_of, "--as-of")
    dated = parse_date_option(report_date, "--date")
    out_console = console()
    if html:
        from parkeval.report import report_html

        text, _payload = report_html(
            settings,
            park=park or "",
            policy_id=policy,
            kind=kind,
            year=year,
            as_of=date,
            report_date=dated,
            risks=risks,
        )
        target = out or Path(f"{park}-{policy}-{kind}.html")
        target.write_text(text, encoding="utf-8")
        out_console.print(f"已生成 HTML [bold]{target}[/]（样式表与字体位于 {_templates()}）")
        return
    warn_if_slow_subsetting()
    if all_parks:
        assert out_dir is not None
        settings.registry.get(policy)
        codes = select_all(
            settings, policy, include_outside=include_outside, include_retired=include_retired
        )
        _report_all(settings, policy, out_dir, kind, year, date, workers, codes, dated, risks)
        return
    from parkeval.report import make_report

    assert park is not None
    outcome = make_report(
        settings,
        park=park,
        policy_id=policy,
        kind=kind,
        year=year,
        as_of=date,
        out=out,
        out_dir=out_dir,
        report_date=dated,
        risks=risks,
    )
    out_console.print(
        f"已生成报告 [bold]{outcome.path}[/]：{outcome.pages} 页，{outcome.bytes / 1024:.0f} KB，"
        f"{outcome.seconds:.1f} 秒；报告编号 {outcome.report_id}"
    )
    _blocked(outcome.blocked)


def _templates() -> Path:
    from parkeval.resources import templates_dir

    return templates_dir()


def _blocked(urls: list[str]) -> None:
    if urls:
        from rich.console import Console

        Console(stderr=True, soft_wrap=True).print(
            f"[yellow]提示[/]：渲染时拒绝读取 {len(urls)} 个外部资源（报告只使用自带模板与字体）："
            + "、".join(sorted(set(urls))[:5])
        )


def _report_all(
    settings: Any,
    policy: str,
    out_dir: Path,
    kind: str,
    year: int | None,
    as_of: Any,
    workers: int | None,
    codes: list[str],
    report_date: Any,
    risks: bool = False,
) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from parkeval.report import make_all_reports

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console(),
    ) as progress:
        task = progress.add_task("生成园区报告", total=None)
        outcomes, summary = make_all_reports(
            settings,
            policy_id=policy,
            out_dir=out_dir,
            park_codes=codes,
            report_date=report_date,
            kind=kind,
            year=year,
            as_of=as_of,
            workers=workers,
            risks=risks,
            on_total=lambda n: progress.update(task, total=n),
            progress=lambda o: progress.update(
                task, advance=1, description=f"生成园区报告 {o.park}"
            ),
        )
        progress.update(task, description="生成园区报告")
    out = console()
    total = sum(o.bytes for o in outcomes) + summary.bytes
    out.print(
        f"已生成 {len(outcomes)} 份园区报告和汇总报告 [bold]{summary.path}[/]（共 {total / 1024:.0f} KB）于 {out_dir}"
    )
    _blocked([u for o in outcomes for u in o.blocked] + summary.blocked)


@app.command()
def verify(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="由 parkeval report 生成的 PDF。A report PDF.")],
) -> None:
    """核验报告内嵌结果是否仍与数据库一致。Check a report's embedded result against the database.

    退出码 / exit code: 0 一致 match；1 不一致 mismatch；2 文件无效 bad input.
    """
    from parkeval.report import verify_report

    outcome = verify_report(settings_of(ctx), file)
    out = console()
    head = f"{outcome.path}（报告编号 {outcome.report_id}，园区 {outcome.park}，政策 {outcome.policy}，{outcome.year} 年度）"
    if outcome.matches:
        out.print(f"[bold green]一致[/]：{head} 的结果与当前数据库相符。")
        return
    out.print(
        f"[bold red]不一致[/]：{head} 的结果与当前数据库不符。已变化：{'、'.join(outcome.differences)}"
    )
    for line in outcome.details:
        out.print(f"  · {line}")
    raise typer.Exit(1)
