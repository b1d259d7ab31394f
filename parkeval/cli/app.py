"""The typer application, its global options and error handling."""

import sys
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from parkeval.errors import EXIT_BUG, EXIT_INTERRUPTED, ParkevalError, redact


class _Group(TyperGroup):
    """The error boundary: no traceback reaches a user. Library errors are a message on stderr
    and exit 2; typer's own usage errors are said in Chinese (:mod:`parkeval.cli.messages`);
    failures a user can act on (a database that cannot be reached, a full disk) are said as
    such (:func:`parkeval.app.errors.known_error`); anything else is a bug: one line saying
    so, the traceback written to a file whose path is printed, exit 70 (``--debug`` shows
    the traceback instead). Ctrl-C exits 130. A command's module is imported only when
    that command runs."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Run the command line; usage errors are printed in Chinese (exit 2)."""
        import sys

        from parkeval.cli.messages import Abort, ClickException, NoArgsIsHelpError

        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except NoArgsIsHelpError as exc:
            if not standalone_mode:
                raise
            exc.show()
            code = 2
        except ClickException as exc:
            if not standalone_mode:
                raise
            from parkeval.cli.messages import print_usage_error

            print_usage_error(exc)
            code = exc.exit_code
        except Abort:
            if not standalone_mode:
                raise
            print("已中止。", file=sys.stderr)
            code = EXIT_INTERRUPTED
        except KeyboardInterrupt:
            if not standalone_mode:
                raise
            print("已中止。", file=sys.stderr)
            code = EXIT_INTERRUPTED
        except Exception as exc:  # outside a command (parsing its options): still no traceback
            argv = kwargs.get("args") or (args[0] if args else None) or sys.argv[1:]
            if not standalone_mode or "--debug" in list(argv):
                raise
            code = _fail(exc)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)

    # The command modules are imported only for the command that runs: `parkeval --help`
    # lists the commands from COMMANDS below (goal: within 1.3x of `import typer`).

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command's name, in the order of COMMANDS (the order of --help)."""
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command, its module imported and its click command built on first use."""
        if cmd_name in COMMANDS:
            modules = COMMANDS[cmd_name][0]
            if any(f"parkeval.cli.{m}" not in sys.modules for m in modules):
                # typer may have built a group before all of its modules had added their
                # commands (`policy` before `policy test`): build it again once they have
                self.commands.pop(cmd_name, None)
            if cmd_name not in self.commands:
                _load(self, modules)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The commands section of --help from COMMANDS, importing no command module."""
        from typer._click.utils import make_default_short_help

        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        with formatter.section("Commands"):
            formatter.write_dl(
                [(name, make_default_short_help(h, limit)) for name, (_, h) in COMMANDS.items()]
            )

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """A mistyped command name is suggested from every command (all modules loaded)."""
        if args and args[0] not in COMMANDS:
            for modules, _help in COMMANDS.values():
                _load(self, modules)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        from parkeval.cli.messages import Abort, ClickException

        try:
            return super().invoke(ctx)
        except (ClickException, Abort, typer.Exit):
            raise
        except KeyboardInterrupt:
            import sys

            print("已中止。", file=sys.stderr)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except ParkevalError as exc:
            if getattr(ctx.obj, "debug", False):
                raise
            print_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except Exception as exc:
            if getattr(ctx.obj, "debug", False):
                raise
            raise typer.Exit(_fail(exc)) from None


def _fail(exc: Exception) -> int:
    """Say a failure without a traceback and return the exit code: a known failure as a
    library error (2), anything else as a bug (70) with its traceback in a file."""
    from parkeval.app.errors import known_error

    known = known_error(exc)
    if known is not None:
        print_error(known)
        return known.exit_code
    return report_bug(exc)


BUG_DIR_ENV = "PARKEVAL_BUG_DIR"


def report_bug(exc: BaseException) -> int:
    """Write the traceback (passwords redacted) to a file and say in one line that this is a
    bug and where the file is; returns :data:`EXIT_BUG`."""
    import datetime as dt
    import os
    import sys
    import tempfile
    import traceback

    from parkeval.errors import redact

    text = redact("".join(traceback.format_exception(exc)))
    directory = os.environ.get(BUG_DIR_ENV) or tempfile.gettempdir()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    where = "（未能写入调用栈文件）"
    try:
        fd, path = tempfile.mkstemp(
            prefix=f"parkeval-bug-{stamp}-", suffix=".txt", dir=directory, text=True
        )
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"parkeval {' '.join(redact(a) for a in sys.argv[1:])}\n\n{text}")
        where = f"，详细信息已写入 {path}"
    except OSError:
        pass
    summary = redact(f"{type(exc).__name__}: {exc}".splitlines()[0])[:200]
    print(
        f"✗ parkeval 内部错误（这是程序的缺陷，不是您的操作问题：{summary}）{where}；"
        "请把该文件发给维护者。加 --debug 可直接显示调用栈。",
        file=sys.stderr,
    )
    return EXIT_BUG


def print_error(exc: ParkevalError) -> None:
    """Print a library error on stderr: a red title, then the message lines unwrapped
    (the terminal wraps them), so paths and credit codes can be copied whole."""
    from rich.console import Console
    from rich.text import Text

    err = Console(stderr=True, soft_wrap=True, highlight=False)
    err.print(Text(f"✗ {exc.title}", style="bold red"))
    for line in redact(exc.message).splitlines():
        err.print(Text(f"  {line}"))
    if exc.hint:
        err.print(Text(f"  {redact(exc.hint)}", style="dim"))


# Every command: the command modules that define it (imported in this order) and the first
# paragraph of its help. `parkeval --help` is written from this table alone;
# tests/test_cli.py holds it equal to the commands themselves.
COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "demo": (("core",), "载入示例园区、显示认定结果并生成一份示例报告。Load the sample parks, certify them, write a sample report."),
    "template": (("core",), "生成空白园区档案 Excel 模板。Write a blank dossier workbook to fill in."),
    "import": (("core",), "导入园区档案（全部成功才写入）。Import dossiers, all or nothing."),
    "policies": (("core",), "列出可用的政策。List the policies known to this run."),
    "certify": (("core",), "核查园区是否符合认定条件。Check parks against a policy's certification criteria."),
    "parks": (("core",), "列出已导入的园区（已停用的除外）。List the parks stored."),
    "show": (("core",), "显示园区的场地、入驻机构、营业收入与证明材料。Describe one park."),
    "apply": (("lifecycle",), "记录认定申请，显示材料清单、评估期限与公示期。Record an application."),
    "grant": (("lifecycle",), "记录认定（授牌）。Record a recognition."),
    "waive": (("lifecycle",), "记录原则性条件未满足的说明，certify 随后显示 waived。Record a waiver."),
    "rate": (("lifecycle",), "记录正式考核等次（优先于建议等次）。Record an official rating."),
    "target": (("lifecycle",), "报备年度发展目标（再次报备同一年度即以新报备为准，原报备保留）。File a year's targets."),
    "confirm": (("lifecycle",), "记录设区市人社部门对自评报告的审核确认。Record the city bureau's confirmation."),
    "rectified": (("lifecycle",), "记录不合格后整改完成；认定随即不再处于整改期。Record a completed rectification."),
    "void": (("corrections",), "撤销一条记录（保留原记录并注明撤销理由，不删除）。Withdraw a wrong record; nothing is deleted."),
    "retire": (("corrections",), "停用园区：保留全部数据与历史，不再出现在列表和 --all 中。Retire a park (kept, hidden)."),
    "assess": (("status",), "计算考核期指标、对照年度目标并给出建议等次。Propose a rating for a period."),
    "status": (("status",), "园区各项认定的状态、标记、历史、待办与各记录编号。Status of a park's titles, with record ids."),
    "due": (("status",), "到期或逾期的报备、自评、考核、整改与申请事项。What is due or overdue."),
    "goals": (("goals",), "发展目标：各文件提出的园区与全市目标，对照已记录的实际数据。Development goals vs actuals."),
    "rewards": (("rewards",), "奖补测算：企业或园区在某方案下某年度可申报的奖励（金额或上限、条款原文、适用理由），以及不予计入的项目和原因。"),
    "budget": (("rewards",), "奖补预算：方案在某年度全部应付奖励（含多年分期本年应付部分）与每项上限（每年资金上限、园区补贴上限）的对照，超额承诺标明缺口。"),
    "facts": (("rewards",), "奖补事实：导入、列出、模板、核定金额、拨付记录、撤销。Facts a bureau records for rewards."),
    "compare": (("analysis",), "对照多个政策逐项比较园区（如市级称号与拟申报的自治区级）。Compare a park across policies."),
    "whatif": (("analysis",), "假设分析：某机构迁出、新机构入驻、面积或营业收入变化后，逐项对比前后结果（不写入数据）。\nWhat if a tenant leaves, joins, or area or revenue change: every criterion before and after."),
    "report": (("reports",), "生成评估报告 PDF（中文，可打印签署，内嵌机器可读结果）。Render a PDF report."),
    "verify": (("reports",), "核验报告：数字签名、内嵌结果与数据库、页面内容与内嵌结果。Check a report."),
    "sign": (("reports",), "对报告作数字签名（PAdES，国际通行格式；不支持国密 SM2 电子印章）。Sign a report."),
    "log": (("admin",), "查看审计日志：何时、谁、做了什么、输入的哈希。Show the audit log, newest first."),
    "synth": (("admin",), "生成一个合成的省份（园区档案），用于演示与性能测试。Write a synthetic province of dossiers."),
    "policy": (("core", "policies"), "查看政策文件。Inspect policies."),
    "db": (("admin",), "数据库维护：升级结构、在线备份。Database upgrade and backup."),
}  # fmt: skip


def load_commands() -> None:
    """Import every command module (what a full listing of the commands needs)."""
    for modules, _help in COMMANDS.values():
        for module in modules:
            import_module(f"parkeval.cli.{module}")


def _load(group: Any, modules: tuple[str, ...]) -> None:
    """Import the command modules and add the commands they registered to the top group."""
    from typer.main import get_command_from_info, get_command_name, get_group_from_info

    for module in modules:
        import_module(f"parkeval.cli.{module}")
    for info in app.registered_commands:
        name = info.name or get_command_name(info.callback.__name__)  # type: ignore[union-attr]
        if name not in group.commands:
            group.commands[name] = get_command_from_info(
                info, pretty_exceptions_short=True, rich_markup_mode=None
            )
    for sub in app.registered_groups:
        if sub.name not in group.commands and all(
            f"parkeval.cli.{m}" in sys.modules for m in COMMANDS[sub.name][0]
        ):
            group.commands[sub.name] = get_group_from_info(
                sub, pretty_exceptions_short=True, suggest_commands=True, rich_markup_mode=None
            )


app = typer.Typer(
    cls=_Group,
    name="parkeval",
    help="人力资源服务产业园认定、考核与评估报告工具。\n\n"
    "Certify HR service industrial parks against their policy, track ratings, produce reports.",
    no_args_is_help=True,
    add_completion=False,
    # Plain help: rendering it with rich costs ~0.12 s, more than the whole import (goal:
    # `parkeval --help` within 1.5x of `import typer`). Command output still uses rich.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


@app.callback()
def _settings(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="PARKEVAL_DB",
            show_envvar=True,
            help="数据库：文件路径或 SQLAlchemy URL（默认 ./parkeval.db）。Database path or URL.",
        ),
    ] = None,
    policy_file: Annotated[
        list[Path] | None,
        typer.Option(
            "--policy-file",
            help="额外的政策文件（YAML，可重复）。Extra policy file, repeatable; "
            "directories can also be listed in PARKEVAL_POLICY_PATH.",
        ),
    ] = None,
    goals_file: Annotated[
        list[Path] | None,
        typer.Option(
            "--goals-file",
            help="额外的发展目标文件（YAML，可重复）。Extra development-goal file, repeatable; "
            "directories can also be listed in PARKEVAL_GOALS_PATH.",
        ),
    ] = None,
    scheme_file: Annotated[
        list[Path] | None,
        typer.Option(
            "--scheme-file",
            help="额外的奖补方案文件（YAML，kind: reward_scheme，可重复）。Extra reward scheme file; "
            "scheme files in PARKEVAL_POLICY_PATH directories are loaded too.",
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", help="操作人（记入历史与审计日志；默认当前系统用户）。Who is acting."),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="出错时显示完整的调用栈。Show tracebacks.")
    ] = False,
) -> None:
    from parkeval.app.settings import Settings

    if by is not None:
        from parkeval.limits import check_text

        by = check_text(by, "--by")
    ctx.obj = Settings(
        db=db,
        policy_files=list(policy_file or []),
        goal_files=list(goals_file or []),
        scheme_files=list(scheme_file or []),
        debug=debug,
        user=by,
    )
