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
    engine: Annotated[str | None, typer.Option("--engine", help="rules | llm | auto；配置了 LLM 端点时默认 auto，否则 rules (default: auto when an endpoint is configured)")] = None,
    concurrency: Annotated[int | None, typer.Option("--concurrency", min=1, max=64, help="同时进行的 LLM 请求数 (concurrent LLM calls)")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="不使用 LLM 缓存 (do not use the LLM response cache)")] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="扫描件OCR并行进程数 (pages OCR'd in parallel processes)")] = 1,
    claims: Annotated[str, typer.Option("--claims", help="正文数字的读取方式 rules | llm；llm 让模型补读规则未识别的说法，需配置 LLM 端点 (how the narrative's numbers are read; llm needs an endpoint)")] = "rules",
) -> None:
    """抽取报告的三张统计表和六个部分 (extract tables and sections)."""
    from .ingest.image import set_workers
    from .pipeline import expand_inputs, extract_file
    from .render_terminal import print_report

    set_workers(workers)

    paths, problems = expand_inputs(files)
    for p, msg in problems:
        err.print(f"[red]错误[/red] {p}: {msg}")
    if not paths:
        err.print("[red]没有可处理的文件 (no input files)[/red]")
        raise typer.Exit(2)
    batch, run_usage = _llm_batch(paths, engine, concurrency, no_cache, progress=len(paths) > 1, claims=_claims_mode(claims) == "llm")
    sink = output.open("w", encoding="utf-8") if output else None
    failed = len(problems)
    done = 0
    try:
        show_progress = batch is None and len(paths) > 1 and (json_out or quiet or sink is not None)
        for i, path in enumerate(paths, 1):
            if show_progress:
                err.print(f"[dim]({i}/{len(paths)})[/dim] {path}")
            try:
                report = _batch_result(batch, path) if batch is not None else extract_file(path)
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
    if run_usage is not None:
        err.print(run_usage.summary())
    if failed and not done:
        raise typer.Exit(2)


def _resolve_engine(engine: str | None) -> str:
    """The engine named, else auto when an LLM endpoint is configured, else rules."""
    from .llm.config import endpoint_configured

    if engine is None:
        return "auto" if endpoint_configured() else "rules"
    if engine not in ("rules", "llm", "auto"):
        err.print(f"[red]错误[/red] 未知的引擎 (unknown engine) {engine!r}: rules | llm | auto")
        raise typer.Exit(2)
    return engine


def _claims_mode(claims: str) -> str:
    """--claims: rules | llm."""
    if claims not in ("rules", "llm"):
        err.print(f"[red]错误[/red] 未知的 --claims {claims!r}: rules | llm")
        raise typer.Exit(2)
    return claims


def _llm_batch(
    paths: list[Path], engine: str | None, concurrency: int | None, no_cache: bool, progress: bool = False, claims: bool = False
) -> tuple[dict | None, object | None]:
    """For llm/auto (or LLM claims): every file extracted up front with concurrent LLM calls; (None, None) for the rules engine."""
    from .llm.run import extract_files

    chosen = _resolve_engine(engine)
    if chosen == "rules" and not claims:
        return None, None
    count = [0]

    def on_result(path: Path, result: object) -> None:
        count[0] += 1
        if progress:
            err.print(f"[dim]({count[0]}/{len(paths)})[/dim] {path}")

    try:
        results, usage = extract_files(paths, chosen, None, use_cache=not no_cache, concurrency=concurrency, on_result=on_result, claims=claims)  # type: ignore[arg-type]
    except XxgkError as e:
        err.print(f"[red]错误[/red] {e}")
        raise typer.Exit(2) from e
    return dict(results), usage


def _llm_claims(reports: list, concurrency: int | None, no_cache: bool) -> tuple[list, object]:
    """`check --claims llm`: the model reads each report's narrative numbers (verified against the text) for N1/N2/N4."""
    from .llm.claims import read_claims_batch

    try:
        done, usage = read_claims_batch(reports, None, use_cache=not no_cache, concurrency=concurrency)
    except XxgkError as e:
        err.print(f"[red]错误[/red] --claims llm 需要 LLM 端点 (needs an LLM endpoint): {e}")
        raise typer.Exit(2) from e
    for r in done:
        for e in r.extra.get("llm", {}).get("errors", []):
            if e.get("table") == "claims":
                name = r.source.path if r.source else r.title
                err.print(f"[yellow]警告[/yellow] {name}: 正文数字的 LLM 读取失败，只用规则读出的说法：{e['error']}")
    return done, usage


def _batch_result(batch: dict, path: Path):  # noqa: ANN202
    """The precomputed Report for a path, or raise its error; LLM problems are printed as warnings."""
    result = batch[path]
    if isinstance(result, XxgkError):
        raise result
    for e in result.extra.get("llm", {}).get("errors", []):
        err.print(f"[yellow]警告[/yellow] {path}: {e['table']} LLM 步骤失败，保留规则引擎结果：{e['error']}")
    return result


# ---------------------------------------------------------------- schema


@app.command()
def schema() -> None:
    """打印报告 JSON 的 JSON Schema (print the JSON Schema of the report JSON)."""
    from .models import report_json_schema

    sys.stdout.write(json.dumps(report_json_schema(), ensure_ascii=False, indent=1) + "\n")


# ---------------------------------------------------------------- check
# (the checker's command is added below this line)

SEVERITY_STYLE = {"error": ("red", "错误"), "warning": ("yellow", "警告"), "info": ("dim", "提示")}


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="报告 JSON（extract --json 输出、.jsonl、.gold.json）、报告文件或目录 (report JSON, documents or directories)")],
    prior: Annotated[list[Path] | None, typer.Option("--prior", help="上年度报告，用于跨年核对，可重复 (last year's report; repeatable)")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="以 JSON 输出校验结果 (print findings as JSON)")] = False,
    html: Annotated[Path | None, typer.Option("--html", help="写入 HTML 审阅页 (write a self-contained HTML review page)")] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="只显示每个报告的错误、警告数 (counts only)")] = False,
    engine: Annotated[str | None, typer.Option("--engine", help="读取报告文件的引擎 rules | llm | auto (engine for documents; default auto when an LLM endpoint is configured)")] = None,
    concurrency: Annotated[int | None, typer.Option("--concurrency", min=1, max=64, help="同时进行的 LLM 请求数 (concurrent LLM calls)")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="不使用 LLM 缓存 (do not use the LLM response cache)")] = False,
    claims: Annotated[str, typer.Option("--claims", help="正文数字的读取方式 rules | llm；llm 让模型补读规则未识别的说法，需配置 LLM 端点 (how the narrative's numbers are read; llm needs an endpoint)")] = "rules",
) -> None:
    """校验报告：表内勾稽、正文与表格、结构、跨年 (check reports). 退出码 0 无错误，1 有错误，2 输入问题."""
    from .check import check_reports
    from .check.html import review_page
    from rich.markup import escape as escape_markup

    from .check.inputs import expand, is_report_json, read_report_json

    def load(paths: list[Path], label: str) -> list:
        reports = []
        for i, path in enumerate(paths, 1):
            if len(paths) > 1 and (json_out or quiet):
                err.print(f"[dim]({label}{i}/{len(paths)})[/dim] {path}")
            try:
                if is_report_json(path):
                    found = read_report_json(path)
                else:
                    from .pipeline import extract_file

                    found = [_batch_result(batch, path) if batch is not None and path in batch else extract_file(path)]
            except XxgkError as e:
                problems.append((str(path), e.message))
                err.print(f"[red]错误[/red] {path}: {e.message}")
                continue
            except Exception as e:  # a broken file must not stop the batch
                problems.append((str(path), f"{type(e).__name__}: {e}"))
                err.print(f"[red]错误[/red] {path}: {type(e).__name__}: {e}")
                continue
            for r in found:
                if r.source is None or not r.source.path:
                    from .models import SourceFile

                    r.source = SourceFile(path=str(path), kind=path.suffix.lstrip(".").lower() or "json")
            reports.extend(found)
        return reports

    problems: list[tuple[str, str]] = []
    paths, missing = expand(files)
    prior_paths, prior_missing = expand(prior or [])
    for p, msg in (*missing, *prior_missing):
        problems.append((str(p), msg))
        err.print(f"[red]错误[/red] {p}: {msg}")
    documents = [p for p in (*paths, *prior_paths) if not is_report_json(p)]
    batch, run_usage = _llm_batch(documents, engine, concurrency, no_cache) if documents else (None, None)
    reports = load(paths, "")
    priors = load(prior_paths, "上年 ")
    if _claims_mode(claims) == "llm" and reports:
        reports, claims_usage = _llm_claims(reports, concurrency, no_cache)
        run_usage = claims_usage if run_usage is None else run_usage.model_copy().add(claims_usage)  # type: ignore[attr-defined]
    if run_usage is not None:
        err.print(run_usage.summary())
    if not reports:
        err.print("[red]没有可校验的报告 (no reports to check)[/red]")
        raise typer.Exit(2)
    results = check_reports(reports, priors)
    if json_out:
        doc = {"reports": [r.summary() for r in results], "problems": [{"file": p, "message": m} for p, m in problems]}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    else:
        for r in results:
            colour = "red" if r.errors else ("yellow" if r.warnings else "green")
            head = f"[bold]{r.name}[/bold] {r.agency or ''} {r.year or ''}"
            out.print(f"{head}  [{colour}]错误 {r.errors}，警告 {r.warnings}[/{colour}]，提示 {r.infos}" + (f"  [dim]对照上年：{r.prior}[/dim]" if r.prior else ""))
            if quiet:
                continue
            for f in r.findings:
                style, name = SEVERITY_STYLE[f.severity]
                extra = " [dim]（抽取存疑）[/dim]" if f.kind == "extraction" else ""
                where_ = f" [dim]{escape_markup(f.where)}[/dim]" if f.where else ""
                out.print(f"  [{style}]{name}[/{style}] {f.rule} {escape_markup(f.message)}{extra}{where_}")
        total_e = sum(r.errors for r in results)
        total_w = sum(r.warnings for r in results)
        if len(results) > 1:
            out.print(f"共 {len(results)} 个报告：错误 {total_e}，警告 {total_w}" + (f"；{len(problems)} 个文件无法读取" if problems else ""))
    if html is not None:
        html.write_text(review_page(results, problems), encoding="utf-8")
        err.print(f"审阅页已写入 {html}")
    if problems:
        raise typer.Exit(2)
    if any(r.errors for r in results):
        raise typer.Exit(1)



# ---------------------------------------------------------------- eval


@app.command("eval")
def eval_(
    suites: Annotated[list[Path] | None, typer.Argument(help="评测套件文件或目录 (suite files or directories)；默认 evals/")] = None,
    compare_: Annotated[bool, typer.Option("--compare", help="与阈值和基线比较，变差时退出码为1 (fail on threshold or baseline regression)")] = False,
    update_baseline: Annotated[bool, typer.Option("--update-baseline", help="把本次结果写为基线 (write this run as the baseline)")] = False,
    json_path: Annotated[Path | None, typer.Option("--json", help="把结果写入 JSON 文件 (write results as JSON)")] = None,
    md_path: Annotated[Path | None, typer.Option("--md", help="把报告写入 Markdown 文件，列出最差的文档和错漏的单元格 (markdown report)")] = None,
) -> None:
    """在标注好的样例上评测抽取、检查和撰写质量 (measure quality against labelled fixtures)."""
    from rich.table import Table as RichTable

    from .evaluate.report import markdown, summary_rows
    from .evaluate.runner import compare, run_suite
    from .evaluate.suites import find_suites

    try:
        found = find_suites(suites or [Path("evals")])
    except XxgkError as e:
        err.print(f"[red]错误[/red] {e}")
        raise typer.Exit(2) from e
    results = []
    failed = False
    for suite in found:
        err.print(f"[bold]运行 {suite.name}[/bold] [dim]({suite.kind})[/dim]")
        try:
            res = run_suite(suite, progress=lambda name: err.print(f"[dim]  {name}[/dim]"))
        except XxgkError as e:
            err.print(f"[red]错误[/red] {e}")
            failed = True
            continue
        baseline = None
        if suite.baseline_path.exists():
            baseline = json.loads(suite.baseline_path.read_text(encoding="utf-8")).get("metrics")
        verdict = compare(suite, res, baseline) if compare_ else None
        results.append((res, verdict))
        t = RichTable(title=f"{suite.name}", title_justify="left")
        t.add_column("指标 (metric)")
        t.add_column("值", justify="right")
        t.add_column("阈值", justify="right")
        t.add_column("基线", justify="right")
        for k, v in summary_rows(res):
            thr = suite.thresholds.get(k)
            base = baseline.get(k) if baseline else None
            t.add_row(k, v, "" if thr is None else f"{thr:g}", "" if base is None else f"{base:.4g}")
        out.print(t)
        for w in res.warnings:
            err.print(f"[yellow]警告[/yellow] {w}")
        if verdict is not None:
            for f in verdict.failures:
                err.print(f"[red]未通过[/red] {f}")
            failed |= not verdict.ok
        if update_baseline:
            suite.baseline_path.parent.mkdir(parents=True, exist_ok=True)
            data = {"suite": suite.name, "metrics": res.to_json()["metrics"]}
            suite.baseline_path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            err.print(f"基线已更新 {suite.baseline_path}")
    if json_path:
        json_path.write_text(json.dumps([r.to_json() for r, _ in results], ensure_ascii=False, indent=1), encoding="utf-8")
    if md_path:
        md_path.write_text(markdown(results), encoding="utf-8")
        err.print(f"报告写入 {md_path}")
    if failed:
        raise typer.Exit(1)


@app.command()
def label(
    file: Annotated[Path, typer.Argument(help="要标注的报告文件 (the report to label)")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="金标准文件路径；默认在原文件旁写 NAME.gold.json")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的金标准 (overwrite an existing gold file)")] = False,
) -> None:
    """用当前抽取结果生成金标准草稿，供人工核对修改 (write a gold draft from the current extraction)."""
    from .pipeline import extract_file

    target = output or file.with_name(file.name.rsplit(".", 1)[0] + ".gold.json")
    if target.exists() and not force:
        err.print(f"[red]错误[/red] {target} 已存在；用 --force 覆盖 (exists; use --force)")
        raise typer.Exit(2)
    try:
        report = extract_file(file)
    except XxgkError as e:
        err.print(f"[red]错误[/red] {e}")
        raise typer.Exit(2) from e
    if report.source:
        report.source.path = file.name if target.parent.resolve() == file.parent.resolve() else str(file)
    report.extra["label_status"] = "unreviewed: 由 xxgk label 生成，需人工逐格核对"
    target.write_text(report.model_dump_json(indent=1, exclude_none=True), encoding="utf-8")
    unsure = [
        f"{name}.{r}.{c}" for name, t in report.tables.items() for r, c, cell in t.iter_cells() if cell.state.value in ("unreadable", "missing")
    ]
    err.print(f"已写入 {target}；请逐格核对。" + (f"需要特别注意的单元格 {len(unsure)} 个: {', '.join(unsure[:10])}" if unsure else ""))


# ---------------------------------------------------------------- draft


@app.command()
def draft(
    current: Annotated[Path, typer.Argument(help="本年度报告（文档或报告 JSON）(this year's report: document or report JSON)")],
    prior: Annotated[list[Path] | None, typer.Option("--prior", help="往年报告，可重复 (a prior year's report; repeatable)")] = None,
    engine: Annotated[str, typer.Option("--engine", help="template（内置，无需模型）或 llm (template: embedded, no model; or llm)")] = "template",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="写入 .md 或 .docx (write the draft as .md or .docx)")] = None,
    critique_: Annotated[bool, typer.Option("--critique", help="评议本年报告已有的第五部分，而不是起草 (critique the existing section 五)")] = False,
    llm: Annotated[str | None, typer.Option("--llm", help="LLM 端点名称（默认取配置）(endpoint name for --engine llm)")] = None,
    no_facts: Annotated[bool, typer.Option("--no-facts", help="不在每段下列出依据的事实 (hide the facts under each line)")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="不使用 LLM 缓存 (bypass the LLM cache)")] = False,
) -> None:
    """起草第五部分“存在的主要问题及改进情况”，或评议已有的第五部分 (draft or critique section 五)."""
    from .draft import build_facts, critique, critique_markdown, draft_markdown, draft_template, score_draft, write_docx
    from .draft.inputs import load_report

    if engine not in ("template", "llm"):
        err.print(f"[red]错误[/red] 未知的引擎 (unknown engine) {engine!r}: template | llm")
        raise typer.Exit(2)
    try:
        report = load_report(current)
        priors = [load_report(p) for p in prior or []]
    except XxgkError as e:
        err.print(f"[red]错误[/red] {e}")
        raise typer.Exit(2) from e
    facts = build_facts(report, priors)
    if critique_:
        text = critique_markdown(critique(report, priors, facts))
        if output is not None:
            output.write_text(text, encoding="utf-8")
            err.print(f"评议已写入 {output}")
        else:
            sys.stdout.write(text)
        return
    try:
        if engine == "llm":
            from .draft import draft_llm

            result = draft_llm(facts, llm, use_cache=not no_cache)
        else:
            result = draft_template(facts)
    except XxgkError as e:
        err.print(f"[red]错误[/red] {e}")
        raise typer.Exit(2) from e
    score = score_draft(result, facts)
    summary = (
        f"数字有据 {score.grounded}/{score.numbers}，与往年最大逐句重合 {score.max_sentence_overlap:.0%}"
        f"（最长相同 {len(score.longest_copied)} 字），上年问题回应 {score.addressed}/{score.prior_problems}"
    )
    if output is not None and output.suffix.lower() == ".docx":
        write_docx(result, output, None if no_facts else facts)
        err.print(f"草稿已写入 {output}；{summary}")
        return
    text = draft_markdown(result, facts, with_facts=not no_facts)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        err.print(f"草稿已写入 {output}；{summary}")
    else:
        sys.stdout.write(text)
        err.print(summary)


# ---------------------------------------------------------------- llm

llm_app = typer.Typer(help="LLM 端点：检查连接与可用模式 (the LLM endpoint: check it, list presets).", no_args_is_help=True)
app.add_typer(llm_app, name="llm")


@llm_app.command("check")
def llm_check(
    endpoint: Annotated[str | None, typer.Option("--endpoint", help="端点或预设名 (endpoint or preset name); default: the configured one")] = None,
    model: Annotated[str | None, typer.Option("--model", help="模型名 (model)")] = None,
    all_modes: Annotated[bool, typer.Option("--all-modes", help="试完所有模式 (try every mode, not just until one works)")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="以 JSON 输出 (print JSON)")] = False,
) -> None:
    """检查配置的 LLM 端点是否应答、哪种调用模式可用 (does the endpoint answer, which mode works). 退出码 0 可用，1 不可用，2 配置问题."""
    from .llm.config import resolve_settings
    from .llm.probe import check_endpoint
    from .llm.run import run_sync

    try:
        settings = resolve_settings(endpoint, model=model)
    except XxgkError as e:
        err.print(f"[red]错误[/red] {e}")
        raise typer.Exit(2) from e
    result = run_sync(check_endpoint(settings, all_modes=all_modes))
    if json_out:
        sys.stdout.write(json.dumps({**result.model_dump(), "working_mode": result.working_mode}, ensure_ascii=False, indent=1) + "\n")
    else:
        out.print(f"端点 {result.endpoint}: {result.base_url}  模型 {result.model}  密钥来源 {result.key}")
        if result.models:
            out.print(f"  服务器上的模型: {', '.join(result.models[:10])}")
        elif result.error:
            out.print(f"  [dim]{result.error}[/dim]")
        for m in result.modes:
            mark = "[green]可用[/green]" if m.ok else "[red]不可用[/red]"
            out.print(f"  模式 {m.mode}: {mark} {m.detail}")
        if result.working_mode:
            hint = "" if result.working_mode == settings.mode else f"（配置的是 {settings.mode}，建议改为 mode = \"{result.working_mode}\"）"
            out.print(f"[green]可用[/green]：模式 {result.working_mode}{hint}")
        else:
            out.print("[red]端点不可用 (endpoint not usable)[/red]")
    if not result.working_mode:
        raise typer.Exit(1)


@llm_app.command("presets")
def llm_presets() -> None:
    """列出内置端点预设 (list the built-in endpoint presets)."""
    from .llm.config import PRESETS

    for p in PRESETS.values():
        key = f"key ${p.key_env}" if p.key_env else "no key"
        out.print(f"{p.name:10} {p.base_url:52} model={p.model or '(set one)'} mode={p.mode} {key}  {p.description}")


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
