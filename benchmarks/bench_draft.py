"""Section 五 drafting, both engines, over the drafting fixtures: quality of the drafts and the LLM guard.

    python benchmarks/bench_draft.py [--histories 20]

Cases: the real 洪泽区 2023→2024 pair and every consecutive-year pair of N generated agency histories
(2021–2024, each year with its own §五), as in evals/draft.toml.

- template engine: the embedded drafter.
- llm engine, through the real openai + instructor clients against the scripted local server. The scripted
  "model" first answers badly (problem 1 cites a number that is in no fact, measure 1 is a sentence copied
  from last year's §五), then well. Printed: how many bad first answers the guard sent back, re-asks per
  draft, and the metrics of the final drafts. A scripted model measures the pipeline and its checks, not a
  real model's writing: run the same with `--engine llm` against your endpoint for that.

Metrics: grounding rate (numbers in the draft that match a cited fact), maximum per-sentence 8-gram overlap
with any prior year's §五, the longest verbatim run shared with one, prior-problem coverage, slogans.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from xxgk.draft import build_facts, draft_llm, draft_template, score_draft  # noqa: E402
from xxgk.draft.history import agency_history  # noqa: E402
from xxgk.draft.llm import answer_of  # noqa: E402
from xxgk.draft.overlap import sentences  # noqa: E402
from xxgk.llm.testing import ScriptedServer, answer  # noqa: E402
from xxgk.pipeline import extract_file  # noqa: E402


def cases(histories: int) -> list[tuple[str, object]]:
    real = ROOT / "fixtures" / "real"
    out = [("hzq2024", build_facts(extract_file(real / "hzq2024.pdf"), [extract_file(real / "hzq2023.pdf")]))]
    for h in range(histories):
        reports = agency_history(h)
        for i in range(1, len(reports)):
            out.append((f"history{h}-{reports[i].year}", build_facts(reports[i], list(reversed(reports[:i]))[:2])))
    return out


def good_answer(facts) -> dict:
    return answer_of(draft_template(facts))


def bad_answer(facts, good: dict) -> dict:
    """The good answer with an invented number and, where last year had a §五, a sentence copied from it."""
    import copy

    bad = copy.deepcopy(good)
    if bad["problems"]:
        bad["problems"][0]["text"] += "全年另有咨询987654件。"
    last = facts.last_year
    prior = facts.prior_sections.get(last, "") if last is not None else ""
    long = [s for s in sentences(prior) if len(s) >= 30]
    if long and bad["measures"]:
        bad["measures"][0]["text"] = long[0]
    return bad


class Tally:
    def __init__(self) -> None:
        self.numbers = self.grounded = self.problems = self.addressed = self.slogans = self.drafts = 0
        self.max_overlap = 0.0
        self.longest = 0

    def add(self, draft, facts) -> None:
        s = score_draft(draft, facts)
        self.drafts += 1
        self.numbers += s.numbers
        self.grounded += s.grounded
        self.problems += s.prior_problems
        self.addressed += s.addressed
        self.slogans += len(s.slogans)
        self.max_overlap = max(self.max_overlap, s.max_sentence_overlap)
        self.longest = max(self.longest, len(s.longest_copied))

    def line(self, name: str, seconds: float) -> str:
        return (
            f"{name:9s} drafts {self.drafts:3d}  grounding {self.grounded}/{self.numbers} "
            f"({self.grounded / max(1, self.numbers):.1%})  max overlap {self.max_overlap:.1%}  "
            f"longest shared {self.longest} chars  prior problems answered {self.addressed}/{self.problems}  "
            f"slogans {self.slogans}  {seconds / max(1, self.drafts) * 1000:.0f} ms/draft"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--histories", type=int, default=20)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="xxgk-bench-draft-")
    os.environ["XXGK_CONFIG_DIR"] = str(Path(tmp) / "config")
    os.environ["XXGK_CACHE_DIR"] = str(Path(tmp) / "cache")
    all_cases = cases(args.histories)

    t = Tally()
    start = time.perf_counter()
    for _, facts in all_cases:
        t.add(draft_template(facts), facts)
    print(t.line("template", time.perf_counter() - start))

    t = Tally()
    caught = requests = bad_copies = 0
    start = time.perf_counter()
    with ScriptedServer() as server:
        settings = server.settings(mode="json_schema", max_retries=3)
        for _, facts in all_cases:
            good = good_answer(facts)
            bad = bad_answer(facts, good)
            bad_copies += bad["measures"][:1] != good["measures"][:1]
            before = len(server.chat_requests)
            server.queue(answer(bad), answer(good))
            draft = draft_llm(facts, settings, use_cache=False)
            n = len(server.chat_requests) - before
            requests += n
            caught += n >= 2
            t.add(draft, facts)
    print(t.line("llm", time.perf_counter() - start))
    print(
        f"llm guard: {caught}/{len(all_cases)} bad first answers sent back "
        f"(each with an invented number; {bad_copies} also with a sentence copied from last year's §五); "
        f"{requests / len(all_cases):.2f} requests per draft"
    )


if __name__ == "__main__":
    main()
