"""The typer application, its global options and error handling."""

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from parkeval.errors import ParkevalError


class _Group(TyperGroup):
    """Turns library errors into a message on stderr and exit code 2 (no traceback), and
    says typer's own usage errors in Chinese (:mod:`parkeval.cli.messages`)."""

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
            code = 1
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ParkevalError as exc:
            settings = ctx.obj
            if getattr(settings, "debug", False):
                raise
            print_error(exc)
            raise typer.Exit(exc.exit_code) from None


def print_error(exc: ParkevalError) -> None:
    """Print a library error on stderr: a red title, then the message lines unwrapped
    (the terminal wraps them), so paths and credit codes can be copied whole."""
    from rich.console import Console
    from rich.text import Text

    err = Console(stderr=True, soft_wrap=True, highlight=False)
    err.print(Text(f"✗ {exc.title}", style="bold red"))
    for line in exc.message.splitlines():
        err.print(Text(f"  {line}"))
    if exc.hint:
        err.print(Text(f"  {exc.hint}", style="dim"))


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

    ctx.obj = Settings(
        db=db,
        policy_files=list(policy_file or []),
        scheme_files=list(scheme_file or []),
        debug=debug,
        user=by,
    )
