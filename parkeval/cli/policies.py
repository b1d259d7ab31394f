"""A policy author's commands: ``policy check`` (every problem of a file at once) and
``policy test`` (the author's cases, facts in and statuses out). They read files only."""

from pathlib import Path
from typing import Annotated

import typer

from parkeval.cli.common import JsonOpt, console, echo_json, settings_of
from parkeval.cli.core import policy_app


@policy_app.command("check")
def policy_check(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE…", help="政策文件（YAML）。Policy files.")
    ],
    json_out: JsonOpt = False,
) -> None:
    """检查政策文件，一次列出全部问题。Validate policy files and list every problem.

    检查：键与取值、比较用语与 op、原文数字与 threshold、原则性要求、级别名称等。
    退出码 / exit code: 0 全部有效；1 有文件无效；2 找不到文件。
    """
    from parkeval.app.policytest import check_policy_files

    checks = check_policy_files(files)
    if json_out:
        echo_json(checks)
    else:
        out = console()
        for c in checks:
            if c.valid:
                out.print(f"[green]✓[/] {c.file}：政策 {c.policy}，{c.criteria} 项条件，未发现问题")
                continue
            out.print(f"[bold red]✗[/] {c.file}：{len(c.problems)} 处问题")
            for line in c.problems:
                out.print(f"    · {line}", highlight=False)
    if not all(c.valid for c in checks):
        raise typer.Exit(1)


@policy_app.command("test")
def policy_test(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[FILE|DIR]…",
            help="测试用例文件（YAML）或目录；不给时运行内置政策的用例。Test files or folders.",
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """运行政策测试用例（事实输入，条件状态与结论输出）。Run a policy's test cases.

    用例文件写明被测试的政策（policy: 编号，可加 policy_file: 相对路径），
    每个用例给出园区事实与预期结果；格式见 docs/writing-a-policy.md。
    退出码 / exit code: 0 全部通过；1 有用例未通过；2 文件有误。
    """
    from parkeval.app.policytest import run_policy_tests
    from parkeval.resources import policies_dir

    outcomes = run_policy_tests(settings_of(ctx), files or [policies_dir() / "tests"])
    if json_out:
        echo_json(outcomes)
    else:
        out = console()
        for f in outcomes:
            passed = sum(c.passed for c in f.cases)
            mark = "[green]✓[/]" if f.passed else "[bold red]✗[/]"
            out.print(f"{mark} {f.file}（政策 {f.policy}）：{passed}/{len(f.cases)} 例通过")
            for c in f.cases:
                if not c.passed:
                    out.print(f"    [red]✗ {c.name}[/]", highlight=False)
                    for line in c.mismatches:
                        out.print(f"        · {line}", highlight=False)
        total = sum(len(f.cases) for f in outcomes)
        failed = sum(not c.passed for f in outcomes for c in f.cases)
        out.print(
            f"共 {total} 例，{total - failed} 例通过" + (f"，{failed} 例未通过" if failed else "")
        )
    if not all(f.passed for f in outcomes):
        raise typer.Exit(1)
