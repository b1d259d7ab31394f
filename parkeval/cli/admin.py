"""Administration: synth (a synthetic province), db upgrade, db backup, log (the audit log)."""

from pathlib import Path
from typing import Annotated

import typer

from parkeval.cli.app import app
from parkeval.cli.common import JsonOpt, console, echo_json, esc, settings_of
from parkeval.errors import ParkevalError

db_app = typer.Typer(
    help="数据库维护：升级结构、在线备份。Database upgrade and backup.", no_args_is_help=True
)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """将数据库结构升级到当前版本（不丢失数据）。Bring the database schema up to date."""
    from parkeval.app.admin import upgrade_database

    before, after = upgrade_database(settings_of(ctx))
    if before == after:
        console().print(f"数据库已是最新结构（{after}）。")
    else:
        console().print(f"数据库结构已从 {before or '首个发布版本（无版本记录）'} 升级到 {after}。")


@db_app.command("backup")
def db_backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="备份文件（不能已存在）。Backup file to write.")],
) -> None:
    """在线备份 SQLite 数据库（其他命令可同时运行）。Consistent copy while others use the database.

    PostgreSQL 数据库会提示如何使用 pg_dump。For PostgreSQL, prints how to use pg_dump.
    """
    from parkeval.app.admin import backup_database

    size = backup_database(settings_of(ctx), file)
    console().print(
        f"已备份到 [bold]{file}[/]（{size:,} 字节）。恢复：把它复制回原数据库文件的位置，"
        "或用 --db 直接指向它。"
    )


@app.command("log")
def log_(
    ctx: typer.Context,
    park: Annotated[str | None, typer.Argument(help="只看这个园区。Only this park.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="最多显示几条（0 为全部）。")] = 50,
    json_out: JsonOpt = False,
) -> None:
    """查看审计日志：何时、谁、做了什么、输入的哈希。Show the audit log, newest first."""
    from parkeval.app.admin import audit_entries

    rows = audit_entries(settings_of(ctx), park=park, limit=limit or None)
    if json_out:
        echo_json(rows)
        return
    if not rows:
        console().print("审计日志为空。" if park is None else f"园区 {park} 没有审计记录。")
        return
    from rich.table import Table

    from parkeval.domain.wording import ACTION_NAMES, format_timestamp, readable_text

    policies = settings_of(ctx).registry.all()
    names = {p.id: p.display_title for p in policies}
    materials = {m.id: m.name for p in policies if p.materials for m in p.materials.items}
    table = Table(header_style="bold")
    for name in ("时间（UTC）", "操作", "园区", "操作人", "内容", "输入 SHA-256"):
        table.add_column(name, overflow="fold")
    for r in rows:
        table.add_row(
            format_timestamp(r.at),
            esc(ACTION_NAMES.get(r.action, r.action)),
            esc(r.park or "—"),
            esc(r.by),
            esc(readable_text(r.detail or "", names, materials)),
            (r.input_sha256 or "")[:16],
        )
    console().print(table)


@app.command()
def synth(
    parks: Annotated[int, typer.Option("--parks", min=1, help="园区数。Number of parks.")] = 20,
    tenants: Annotated[
        int, typer.Option("--tenants", min=1, help="每个园区的入驻机构数。Tenants per park.")
    ] = 40,
    years: Annotated[
        int,
        typer.Option("--years", min=1, max=30, help="营业收入年数（截至 2024 年）。Revenue years."),
    ] = 3,
    seed: Annotated[
        int, typer.Option("--seed", help="随机种子（同一种子结果相同）。Random seed.")
    ] = 1,
    out: Annotated[Path, typer.Option("--out", help="输出目录。Directory to write.")] = ...,  # type: ignore[assignment]
    fmt: Annotated[
        str, typer.Option("--format", help="yaml、json 或 xlsx。Dossier format.")
    ] = "yaml",
    force: Annotated[
        bool, typer.Option("--force", help="覆盖目录中已有的同名档案。Overwrite existing files.")
    ] = False,
) -> None:
    """生成一个合成的省份（园区档案），用于演示与性能测试。Write a synthetic province of dossiers."""
    from parkeval.app.dossiers import write_synthetic_province

    if fmt not in ("yaml", "json", "xlsx"):
        raise ParkevalError(f"--format 应为 yaml、json 或 xlsx，而不是 “{fmt}”")
    written = write_synthetic_province(
        out, parks=parks, tenants=tenants, years=years, seed=seed, fmt=fmt, force=force
    )
    console().print(
        f"已在 [bold]{out}[/] 生成 {len(written)} 个园区档案（{fmt}）。"
        f"导入：parkeval import {out}/*.{fmt}"
    )
