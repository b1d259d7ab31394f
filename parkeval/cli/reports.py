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
    check_year,
    console,
    esc,
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
    opinion: Annotated[
        Path | None,
        typer.Option(
            "--opinion",
            help="评估意见（UTF-8 文本文件，最多 5000 字），印在签署栏上方的方框中；"
            "不给时方框留空供手写。Evaluators' opinion.",
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
    force: Annotated[
        bool, typer.Option("--force", help="覆盖已有的输出文件。Overwrite existing files.")
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
    if all_parks and opinion is not None:
        raise ParkevalError("--opinion 只用于单个园区的报告；--all 的各份报告评估意见栏留空")
    settings = settings_of(ctx)
    date = parse_date_option(as_of, "--as-of")
    dated = parse_date_option(report_date, "--date")
    if year is not None:
        check_year(year)
    opinion_text = None
    if opinion is not None:
        from parkeval.report.document import read_opinion

        opinion_text = read_opinion(opinion)
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
            opinion=opinion_text,
        )
        from parkeval.outputs import write_output
        from parkeval.report.render import inline_stylesheet

        target = out or (out_dir or Path(".")) / f"{park}-{policy}-{kind}.html"
        text = inline_stylesheet(text)
        write_output(target, text.encode("utf-8"), suffixes=[".html"], force=force)
        out_console.print(f"已生成 HTML [bold]{esc(target)}[/]（样式已内嵌，可直接用浏览器打开）")
        return
    warn_if_slow_subsetting()
    if all_parks:
        assert out_dir is not None
        settings.registry.get(policy)
        codes = select_all(
            settings, policy, include_outside=include_outside, include_retired=include_retired
        )
        _report_all(
            settings, policy, out_dir, kind, year, date, workers, codes, dated, risks, force
        )
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
        opinion=opinion_text,
        force=force,
    )
    out_console.print(
        f"已生成报告 [bold]{esc(outcome.path)}[/]：{outcome.pages} 页，{outcome.bytes / 1024:.0f} KB，"
        f"{outcome.seconds:.1f} 秒；报告编号 {outcome.report_id}"
    )
    _blocked(outcome.blocked)


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
    force: bool = False,
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
            force=force,
            on_total=lambda n: progress.update(task, total=n),
            progress=lambda o: progress.update(
                task, advance=1, description=f"生成园区报告 {o.park}"
            ),
        )
        progress.update(task, description="生成园区报告")
    out = console()
    total = sum(o.bytes for o in outcomes) + summary.bytes
    out.print(
        f"已生成 {len(outcomes)} 份园区报告和汇总报告 [bold]{esc(summary.path)}[/]（共 {total / 1024:.0f} KB）于 {esc(out_dir)}"
    )
    _blocked([u for o in outcomes for u in o.blocked] + summary.blocked)


@app.command()
def verify(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="由本工具生成的报告 PDF。A report PDF.")],
    trust: Annotated[
        list[Path] | None,
        typer.Option(
            "--trust",
            help="签名证书的信任根（PEM/DER，可重复）；不给时只核验签名完好，不核验信任链。"
            "Trusted root certificate(s).",
        ),
    ] = None,
) -> None:
    """核验报告：数字签名、内嵌结果与数据库、页面内容与内嵌结果。Check a report.

    三项各占一行。退出码 / exit code: 0 全部通过；否则为未通过各项之和——1 数据库已变化，
    4 页面内容与内嵌结果不符，8 数字签名无效（如 5 = 1 + 4）；2 文件无效。
    """
    from parkeval.report import verify_report

    outcome = verify_report(settings_of(ctx), file, trust_roots=list(trust or []))
    out = console()
    # one line per check, never wrapped: scripts and people grep for them
    out.print(
        f"{esc(outcome.path)}（报告编号 {esc(outcome.report_id)}；{esc(outcome.park)}；"
        f"{esc(outcome.policy)}；{esc(outcome.year)}年度）",
        soft_wrap=True,
    )
    for check in outcome.checks:
        mark = "[bold green]✓[/]" if check.passed else "[bold red]✗[/]"
        out.print(f"{mark} {check.name}：{esc(check.summary)}", highlight=False, soft_wrap=True)
        for line in check.details:
            out.print(f"    · {esc(line)}", highlight=False, soft_wrap=True)
    if outcome.exit_code:
        raise typer.Exit(outcome.exit_code)


@app.command()
def sign(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="要签名的报告 PDF。The report to sign.")],
    cert: Annotated[
        Path, typer.Option("--cert", help="单位的 PKCS#12 证书文件（.p12/.pfx）。Certificate.")
    ] = ...,  # type: ignore[assignment]
    password_file: Annotated[
        Path | None,
        typer.Option(
            "--password-file", help="证书口令文件（第一行为口令）；不给时交互输入。Password file."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="签名后的 PDF（默认：原文件名加 -signed）。Output."),
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="签名理由（默认：评估报告签署）。Reason.")
    ] = None,
    stamp: Annotated[
        bool,
        typer.Option("--stamp", help="在签署栏下方加盖可见签章（报告自带字体）。Visible stamp."),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的输出文件。Overwrite.")] = False,
) -> None:
    """对报告作数字签名（PAdES，国际通行格式；不支持国密 SM2 电子印章）。Sign a report.

    例如 / e.g.: parkeval sign 报告.pdf --cert 单位证书.p12 --password-file 口令.txt --stamp
    """
    from parkeval.report.signing import sign_report

    target = out or file.with_name(f"{file.stem}-signed.pdf")
    outcome = sign_report(
        file,
        target,
        cert=cert,
        password=_password(password_file, cert),
        reason=reason,
        stamp=stamp,
        force=force,
    )
    console().print(
        f"已签名 [bold]{outcome.path}[/]：签署人 {outcome.signer}"
        + ("，含可见签章" if outcome.stamped else "")
        + f"（{outcome.seconds:.1f} 秒）"
    )


def _password(path: Path | None, cert: Path) -> bytes | None:
    """The certificate's password: the first line of ``path``, else asked for on a terminal."""
    import sys

    if path is not None:
        from parkeval.errors import InputError, Problem, os_reason

        try:
            text = path.read_bytes()[:4096].decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            message = os_reason(exc) if isinstance(exc, OSError) else "不是 UTF-8 文本"
            raise InputError([Problem(str(path), f"无法读取口令文件：{message}")]) from None
        line = text.splitlines()[0] if text.splitlines() else ""
        return line.encode() or None
    if sys.stdin.isatty():
        typed = typer.prompt(f"{cert} 的口令（无口令直接回车）", hide_input=True, default="")
        return typed.encode() or None
    return None
