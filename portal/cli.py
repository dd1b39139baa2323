"""`flask --app wsgi portal ...`: the commands operators and tests use."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

# The public columns with a daily extract (portal.services.opendata.columns).
EXTRACT_COLUMNS = ("licenses", "penalties", "list_entries", "commitments", "articles")

portal_cli = AppGroup("portal", help="信用门户管理命令")


class _ProgressBar:
    """A progress bar on stderr whose length is known only once the work has started."""

    def __init__(self, label: str):
        self.label, self.bar = label, None

    def start(self, total: int) -> None:
        self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr, show_pos=True)
        self.bar.__enter__()

    def update(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


@portal_cli.command("init-db")
def init_db_command():
    """Create or upgrade the schema (safe to run again)."""
    from portal.services.core import setup

    setup.init_db()
    click.echo("数据库已就绪")


@portal_cli.command("grant-app-role")
@click.argument("role")
def grant_app_role_command(role: str):
    """Grant PostgreSQL role ROLE what the application needs (run as the tables' owner)."""
    from portal.services.core import setup

    try:
        schema = setup.grant_app_role(role)
    except RuntimeError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"已授权 {role}：模式 {schema} 中的数据读写（审计日志仅可追加）")


@portal_cli.command("seed")
@click.option("--subjects", "subjects", type=int, required=True, help="主体数量")
@click.option("--seed", "seed", type=int, default=2026, show_default=True, help="随机种子（结果可复现）")
@click.option("--records-per-subject", type=float, default=3.0, show_default=True, help="每个主体平均双公示记录数")
@click.option("--if-empty", is_flag=True, help="数据库已有主体时不再写入")
def seed_command(subjects: int, seed: int, records_per_subject: float, if_empty: bool):
    """Write deterministic demo data."""
    from portal.demo.seed import seed_database

    summary = seed_database(subjects, seed, records_per_subject, if_empty=if_empty, echo=click.echo)
    click.echo(summary)
    _show_demo_accounts()


def _show_demo_accounts() -> None:
    from portal.demo.accounts import ensure_demo_accounts

    click.echo("演示账号（仅供演示，生产环境请用 create-admin 创建自己的账号）：")
    for username, password, label in ensure_demo_accounts():
        click.echo(f"  {label:<6} 用户名 {username:<8} 密码 {password}")


@portal_cli.command("create-admin")
@click.argument("username")
@click.option("--display-name", default=None, help="显示名称")
def create_admin_command(username: str, display_name: str | None):
    """Create a system administrator; the password comes from PORTAL_ADMIN_PASSWORD or a prompt."""
    import os

    from portal.extensions import db
    from portal.models import Role
    from portal.rules.passwords import POLICY
    from portal.services.staff import accounts

    password = os.environ.get("PORTAL_ADMIN_PASSWORD") or click.prompt(
        f"密码（{POLICY}）", hide_input=True, confirmation_prompt="再次输入密码"
    )
    try:
        accounts.create_user(
            username, display_name or username, password, [Role.ADMIN], None, by=None, force_change=False, actor="cli"
        )
    except accounts.PasswordRejected as e:
        raise click.ClickException("密码不符合要求：" + "；".join(e.problems)) from None
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    db.session.commit()
    click.echo(f"已创建系统管理员 {username}")


@portal_cli.command("import")
@click.argument("kind", type=click.Choice(["license", "penalty"]))
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--errors", "errors_out", type=click.Path(dir_okay=False), help="错误报告输出文件（CSV）")
@click.option("--pending", is_flag=True, help="导入后进入待审核，而不是直接公示")
def import_command(kind: str, path: str, errors_out: str | None, pending: bool):
    """Import a national-format 行政许可 / 行政处罚 file (CSV or XLSX)."""
    from portal.importer.headers import HeaderError
    from portal.importer.loader import ImportOptions, import_file, write_error_file

    try:
        with _ProgressBar("导入进度") as bar:
            result = import_file(kind, path, ImportOptions(pending=pending), progress=bar.update, on_total=bar.start)
    except HeaderError as e:
        click.echo(f"文件被拒绝：{e}", err=True)
        sys.exit(2)
    if errors_out:
        write_error_file(result.problems, errors_out)
        click.echo(f"错误报告：{errors_out}", err=True)
    click.echo(
        f"新增{result.new}条，更新{result.updated}条，未变{result.unchanged}条，拒绝{result.rejected}条", err=True
    )
    warnings = sum(1 for p in result.problems if p.level != "错误")
    if warnings:
        click.echo(f"警告{warnings}条（公示截止期超过最长期限、一码多名等），详见错误报告", err=True)
    click.echo(result.summary())


@portal_cli.command("reindex")
def reindex_command():
    """Rebuild the search index from the database (searches keep working meanwhile)."""
    from portal.search import indexer

    with _ProgressBar("重建索引") as bar:
        count = indexer.rebuild(progress=bar.update, on_total=bar.start)
    click.echo(f"indexed={count}")


@portal_cli.command("sync-index")
def sync_index_command():
    """Apply pending changes (the search outbox) to the search index."""
    from portal.search import indexer

    total = indexer.pending()
    with click.progressbar(length=total, label="更新索引", file=sys.stderr, show_pos=True) as bar:
        applied = indexer.sync(wait=True, progress=bar.update, processes=current_app.config["PORTAL_INDEX_PROCESSES"])
    click.echo(f"applied={applied}")


@portal_cli.command("worker")
@click.option("--burst", is_flag=True, help="处理完队列中的任务后退出")
def worker_command(burst: bool):
    """Run long jobs (web imports) from the Redis queue (PORTAL_QUEUE_URL)."""

    from portal import jobs
    from portal.services.imports import web_import

    if not current_app.config["PORTAL_QUEUE_URL"]:
        raise click.ClickException("未设置 PORTAL_QUEUE_URL：未使用队列时，任务由网站进程各自启动的子进程执行")
    web_import.sweep_stale()
    jobs.work(burst=burst)


@portal_cli.command("cleanup")
def cleanup_command():
    """Housekeeping (hourly from cron): dead jobs, unconfirmed uploads, orphaned files, old sessions."""
    from portal.extensions import db
    from portal.services.core import uploads
    from portal.services.imports import web_import
    from portal.services.staff import staff_sessions

    stale = web_import.sweep_stale()
    unconfirmed = web_import.purge_uploads()
    orphans = uploads.purge_orphans()
    sessions = staff_sessions.purge()
    db.session.commit()
    click.echo(f"stale_runs={stale} unconfirmed_uploads={unconfirmed} orphaned_files={orphans} old_sessions={sessions}")


@portal_cli.command("index-worker")
@click.option("--interval", default=1.0, show_default=True, help="seconds between two looks at the outbox")
def index_worker_command(interval: float):
    """Keep the search index in step, outside the web workers: apply the outbox, rebuild an index
    that cannot be trusted. Runs until stopped (SIGTERM or Ctrl-C)."""
    import logging
    import signal
    import threading

    from portal.extensions import db
    from portal.search import indexer

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo("search index worker: started", err=True)
    while not stop.is_set():
        try:
            applied = indexer.sync(
                wait=False, processes=current_app.config["PORTAL_INDEX_PROCESSES"], stopping=stop.is_set
            )
        except Exception:  # the next round retries; nothing is lost (the outbox keeps the rows)
            logging.getLogger(__name__).exception("search index worker: sync failed")
            applied = 0
        finally:
            db.session.remove()
        if not applied:
            stop.wait(interval)
    click.echo("search index worker: stopped", err=True)


@portal_cli.command("data-quality")
def data_quality_command():
    """Report 重错码: codes carried with different names, and codes failing the check."""
    from portal.services.publication.data_quality import code_report

    report = code_report()
    click.echo(f"一码多名：{len(report.conflicts)} 个")
    for code, names in sorted(report.conflicts.items()):
        click.echo(f"  {code}：{'、'.join(sorted(names))}")
    click.echo(f"校验不通过的代码：{len(report.invalid)} 个")
    for code, reasons in sorted(report.invalid.items()):
        click.echo(f"  {code}：{'；'.join(reasons)}")


@portal_cli.command("stats")
@click.option("--period", default="", help="2026Q3, 2026-07, 2026 or 12m; default: the last complete quarter")
@click.option("--industry", default="", help="one industry of the industries file")
@click.option("--district", default="", help="a district's name or code")
@click.option("--department", default="", help="a department's id")
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx", "text"]), default="text")
@click.option("--output", type=click.Path(dir_okay=False), default=None, help="write to this file instead of printing")
def stats_command(period, industry, district, department, fmt, output):
    """The indicators of credit work for a period and scope: the figures of the admin dashboard."""
    import json

    from portal.services.statistics import bulletin, summary

    args = {"period": period, "industry": industry, "district": district, "department": department}
    try:
        selected = summary.filters(args)
    except summary.FilterError as exc:
        raise click.UsageError(str(exc)) from exc
    if fmt == "xlsx":
        if not output:
            raise click.UsageError("XLSX格式须用 --output 指定文件")
        with open(output, "wb") as fh:
            fh.write(bulletin.workbook(selected))
        click.echo(f"已写入 {output}")
        return
    updated = summary.as_of()
    results = summary.figures(selected)
    if fmt == "json":
        text = json.dumps(summary.as_json(selected, results, updated), ensure_ascii=False, indent=1)
    else:
        lines = [f"统计期：{selected.period.label}（{selected.period.start} 至 {selected.period.end}）"]
        lines.append(f"数据更新于：{summary.shown_time(updated)}")
        lines += [f"{r['label']}\t{r['part']}\t{r['shown']}" for r in summary.flat(results)]
        text = "\n".join(lines)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
        click.echo(f"已写入 {output}")
    else:
        click.echo(text)


@portal_cli.command("stats-refresh")
@click.option(
    "--full", is_flag=True, help="recount every day (nightly); default: the days changed since the last refresh"
)
def stats_refresh_command(full):
    """Bring the statistics aggregates up to date from the records (run every few minutes and nightly --full)."""
    from portal.services.statistics import summary

    updated = summary.refresh(full=full)
    click.echo(f"统计汇总已更新：数据更新于 {summary.shown_time(updated)}")


def init_app(app: Flask) -> None:
    app.cli.add_command(portal_cli)


@portal_cli.command("extract")
@click.argument("column", type=click.Choice(sorted(EXTRACT_COLUMNS)))
@click.option(
    "--out", "out", type=click.Path(file_okay=False), default=None, help="输出目录（默认 PORTAL_EXTRACT_DIR）"
)
@click.option("--format", "formats", type=click.Choice(["csv", "jsonl"]), multiple=True, help="格式（默认两种都写）")
def extract_command(column: str, out: str | None, formats: tuple[str, ...]):
    """写出某一栏目今日的全量公开数据文件及其 SHA-256（每日运行）。"""
    from pathlib import Path

    from portal.services.opendata import extracts

    folder = Path(out or current_app.config["PORTAL_EXTRACT_DIR"])
    for fmt in formats or ("csv", "jsonl"):
        path, digest = extracts.write_daily(column, fmt, folder)
        click.echo(f"{path}  sha256={digest}")
