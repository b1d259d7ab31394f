"""The typer application, its global options and error handling."""

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
    the traceback instead). Ctrl-C exits 130."""

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
