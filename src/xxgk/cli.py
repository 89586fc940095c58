"""The `xxgk` command line: parses options, calls the library, prints. Nothing else imports typer."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from . import __version__
from .errors import XxgkError

app = typer.Typer(
    name="xxgk",
    help="读取、检查并辅助撰写政府信息公开工作年度报告 (read, check and help write 政府信息公开工作年度报告).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 120)
err = Console(stderr=True, highlight=False)


def _version(value: bool) -> None:
    if value:
        print(f"xxgk {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本并退出 (show version)")] = False,
) -> None:
    """xxgk：政府信息公开工作年度报告的抽取、校验与撰写工具。"""


# ---------------------------------------------------------------- extract


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="报告文件或目录 (report files or directories): txt, md, html, docx, pdf")],
    json_out: Annotated[bool, typer.Option("--json", help="以 JSON 输出到标准输出 (print JSON)")] = False,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="写入 JSONL 文件，每个报告一行 (write one JSON object per file)")] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="不显示表格，只显示摘要 (summary only)")] = False,
) -> None:
    """抽取报告的三张统计表和六个部分 (extract tables and sections)."""
    from .pipeline import expand_inputs, extract_file
    from .render_terminal import print_report

    paths, problems = expand_inputs(files)
    for p, msg in problems:
        err.print(f"[red]错误[/red] {p}: {msg}")
    if not paths:
        err.print("[red]没有可处理的文件 (no input files)[/red]")
        raise typer.Exit(2)
    sink = output.open("w", encoding="utf-8") if output else None
    failed = len(problems)
    done = 0
    try:
        show_progress = len(paths) > 1 and (json_out or quiet or sink is not None)
        for i, path in enumerate(paths, 1):
            if show_progress:
                err.print(f"[dim]({i}/{len(paths)})[/dim] {path}")
            try:
                report = extract_file(path)
            except XxgkError as e:
                failed += 1
                err.print(f"[red]错误[/red] {e}")
                continue
            done += 1
            if sink is not None:
                sink.write(report.model_dump_json(exclude_none=True) + "\n")
                sink.flush()
            if json_out:
                sys.stdout.write(report.model_dump_json(indent=1, exclude_none=True) + "\n")
            elif not quiet and sink is None:
                print_report(report, out)
    finally:
        if sink is not None:
            sink.close()
    if len(paths) > 1 or output:
        err.print(f"完成 {done} 个，失败 {failed} 个 (done {done}, failed {failed})" + (f"；结果写入 {output}" if output else ""))
    if failed and not done:
        raise typer.Exit(2)


# ---------------------------------------------------------------- schema


@app.command()
def schema() -> None:
    """打印报告 JSON 的 JSON Schema (print the JSON Schema of the report JSON)."""
    from .models import report_json_schema

    sys.stdout.write(json.dumps(report_json_schema(), ensure_ascii=False, indent=1) + "\n")


# ---------------------------------------------------------------- check
# (the checker's command is added below this line)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
