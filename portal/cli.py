"""`flask --app wsgi portal ...`: the commands operators and tests use."""
from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

portal_cli = AppGroup("portal", help="信用门户管理命令")


@portal_cli.command("init-db")
def init_db_command():
    """Create or upgrade the schema (safe to run again)."""
    from portal.services import setup

    setup.init_db()
    click.echo("数据库已就绪")


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


@portal_cli.command("import")
@click.argument("kind", type=click.Choice(["license", "penalty"]))
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--errors", "errors_out", type=click.Path(dir_okay=False), help="错误报告输出文件（CSV）")
@click.option("--pending", is_flag=True, help="导入后进入待审核，而不是直接公示")
def import_command(kind: str, path: str, errors_out: str | None, pending: bool):
    """Import a national-format 行政许可 / 行政处罚 file (CSV or XLSX)."""
    from portal.importer.headers import HeaderError
    from portal.importer.loader import ImportOptions, import_file, write_error_file

    bar = None

    def on_total(total: int):
        nonlocal bar
        bar = click.progressbar(length=total, label="导入进度", file=sys.stderr, show_pos=True)
        bar.__enter__()

    try:
        result = import_file(
            kind, path, ImportOptions(pending=pending), progress=lambda n: bar.update(n), on_total=on_total
        )
    except HeaderError as e:
        click.echo(f"文件被拒绝：{e}", err=True)
        sys.exit(2)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if errors_out:
        write_error_file(result.problems, errors_out)
        click.echo(f"错误报告：{errors_out}", err=True)
    click.echo(f"新增{result.new}条，更新{result.updated}条，未变{result.unchanged}条，拒绝{result.rejected}条", err=True)
    click.echo(result.summary())


def init_app(app: Flask) -> None:
    app.cli.add_command(portal_cli)
