"""LLM cost in auto mode over the fixture documents, against the scripted server (no network, no model).

    python benchmarks/bench_llm.py            # real fixtures
    python benchmarks/bench_llm.py --all      # real + generated fixtures

The scripted "model" answers like a careful reader of the gold labels: a table is read from its gold
cells, a verify request gets the corrections that turn the rules reading into gold. Tokens are the
server's estimate (one per CJK character, ASCII word or punctuation mark), not a real tokenizer's.
Prints: share of documents needing any LLM call, calls and tokens per document, and a second run's calls.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from xxgk.llm import LLMClient  # noqa: E402
from xxgk.llm.run import extract_files  # noqa: E402
from xxgk.llm.testing import Received, Reply, ScriptedServer, answer  # noqa: E402
from xxgk.models import CellState, Report  # noqa: E402


def cell_answer(cell):
    if cell.state in (CellState.number, CellState.text_number):
        return cell.value
    return {"dash": "—", "blank": None}.get(cell.state.value, "?")


def gold_model(golds: dict[str, Report]):
    """A fallback that answers from the gold of the document whose text the request quotes."""

    def find(req: Received) -> Report | None:
        text = req.text
        for g in golds.values():
            # the excerpt quotes the document; its table numbers identify it well enough
            if g.source and g.source.path and Path(g.source.path).stem in text:
                return g
        best, hits = None, -1
        for g in golds.values():
            n = sum(1 for t in g.tables.values() for _, _, c in t.iter_cells() if c.raw and c.raw in text)
            if n > hits:
                best, hits = g, n
        return best

    def reply(req: Received) -> Reply:
        g = find(req)
        blob = json.dumps(req.body, ensure_ascii=False)
        if "SectionHeadings" in blob:  # the outline question (a section inferred by the rules): gold has no line numbers
            return answer({"sections": []})
        table = next((t for m, t in (("TableA", "table_a"), ("TableB", "table_b"), ("TableC", "table_c")) if m in blob), None)
        if table is not None and g is not None:
            t = g.tables[table]
            grid: dict = {}
            for r, c in t.expected_cells():
                grid.setdefault(r, {})[c] = cell_answer(t.cell(r, c))
            return answer(grid)
        if g is None:
            return answer({"corrections": []})
        # verify: the reading is in the prompt as "row.col = value" lines; correct what differs from gold
        name = next(t for t, title in (("table_a", "表二"), ("table_b", "表三"), ("table_c", "表四")) if f"读出了{title}" in req.text)
        t = g.tables[name]
        fixes = []
        for line in req.text.splitlines():
            m = re.fullmatch(r"(\w+)\.(\w+) = (.+)", line.strip())
            if m is None:
                continue
            r, c, shown = m.groups()
            want = cell_answer(t.cell(r, c))
            if json.dumps(want, ensure_ascii=False) != shown.strip() and str(want) != shown.strip():
                fixes.append({"row": r, "column": c, "value": want, "evidence": ""})
        return answer({"corrections": fixes})

    return reply


def main() -> None:
    pattern = ["fixtures/real/*"] + (["fixtures/generated/*"] if "--all" in sys.argv else [])
    files = sorted(p for pat in pattern for p in ROOT.glob(pat) if p.suffix in (".txt", ".md", ".pdf", ".html", ".docx") and not p.name.endswith(".gold.json"))
    golds = {}
    for f in files:
        gp = f.with_name(f.stem + ".gold.json")
        if gp.exists():
            golds[str(f)] = Report.model_validate_json(gp.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp, ScriptedServer(fallback=gold_model(golds)) as server:
        from xxgk.llm.cache import ResponseCache

        settings = server.settings(mode="json_schema", concurrency=4)
        runs = []
        for run in (1, 2):
            client = LLMClient(settings, cache=ResponseCache(Path(tmp) / "cache"))
            before = len(server.chat_requests)
            t0 = time.perf_counter()
            results, usage = extract_files(files, "auto", client)
            runs.append((results, usage, len(server.chat_requests) - before, time.perf_counter() - t0))
        results, usage, requests, seconds = runs[0]
        docs = [r for _, r in results if isinstance(r, Report)]
        with_calls = [(p, r) for p, r in results if isinstance(r, Report) and (r.extra["llm"]["tables"] or "sections" in r.extra["llm"])]
        print(f"documents: {len(docs)} ({len(files) - len(docs)} unreadable)")
        print(f"needing any LLM call (auto): {len(with_calls)}/{len(docs)} = {len(with_calls) / max(1, len(docs)):.0%}")
        for p, r in with_calls:
            u = r.extra["llm"]["usage"]
            steps = {**r.extra["llm"]["tables"], **({"sections": {"task": "outline", **r.extra["llm"]["sections"]}} if "sections" in r.extra["llm"] else {})}
            tables = ", ".join(f"{t}:{o['task']}({'+'.join(o['reasons'])})" for t, o in steps.items())
            print(f"  {p.name}: {tables}; calls {u['calls']}, tokens {u['prompt_tokens']}+{u['completion_tokens']}, re-asks {u['retries']}")
        n = max(1, len(docs))
        print(
            f"run 1: {usage.calls} calls, {usage.prompt_tokens}+{usage.completion_tokens} tokens, {usage.retries} re-asks; "
            f"per document {usage.calls / n:.2f} calls, {usage.total_tokens / n:.0f} tokens; "
            f"per document that needed the LLM {usage.calls / max(1, len(with_calls)):.2f} calls, {usage.total_tokens / max(1, len(with_calls)):.0f} tokens; "
            f"{requests} HTTP requests, {seconds:.1f}s"
        )
        _, usage2, requests2, seconds2 = runs[1]
        print(f"run 2 (same files, cache on): {usage2.calls} calls, {requests2} HTTP requests, {usage2.cache_hits} cache hits, {seconds2:.1f}s")


if __name__ == "__main__":
    main()
