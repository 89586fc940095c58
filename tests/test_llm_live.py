"""Live tests: the eval fixtures against a real OpenAI-compatible endpoint named by XXGK_LIVE_BASE_URL (skipped otherwise).

    XXGK_LIVE_BASE_URL=http://127.0.0.1:8080/v1 XXGK_LIVE_MODEL=local python -m pytest -m live
Optional: XXGK_LIVE_MODE (json_schema | tools | json | md_json), XXGK_LIVE_API_KEY (sent only to that URL),
XXGK_LIVE_VISION=1 (the model reads images: a scanned table is sent as its page image).
These prove the protocol end to end; with a tiny model the numbers will be wrong, so only shape is asserted.
"""

from __future__ import annotations

import os

import pytest

from llm_helpers import REAL
from xxgk.llm import LLMClient, LLMError, LLMSettings
from xxgk.llm.probe import check_endpoint
from xxgk.llm.run import run_sync
from xxgk.models import Report
from xxgk.pipeline import extract_file

BASE_URL = os.environ.get("XXGK_LIVE_BASE_URL")
pytestmark = [pytest.mark.live, pytest.mark.skipif(not BASE_URL, reason="XXGK_LIVE_BASE_URL not set")]


def settings() -> LLMSettings:
    return LLMSettings(
        name="live",
        base_url=BASE_URL or "",
        model=os.environ.get("XXGK_LIVE_MODEL", "local"),
        mode=os.environ.get("XXGK_LIVE_MODE", "json_schema"),  # type: ignore[arg-type]
        api_key=os.environ.get("XXGK_LIVE_API_KEY") or None,
        key_source="XXGK_LIVE_API_KEY" if os.environ.get("XXGK_LIVE_API_KEY") else None,
        timeout=float(os.environ.get("XXGK_LIVE_TIMEOUT", "300")),
        concurrency=1,
    )


def test_live_endpoint_answers_the_probe():
    result = run_sync(check_endpoint(settings(), all_modes=True))
    assert result.reachable, result
    assert result.modes, result


@pytest.mark.parametrize("name", ["seed000.txt", "hzq2023.pdf", "shoffice2025.md"])
def test_live_auto_mode_returns_a_report_and_never_crashes(name, tmp_path, monkeypatch):
    monkeypatch.setenv("XXGK_CACHE_DIR", str(tmp_path))
    report = extract_file(REAL / name, engine="auto", llm=LLMClient(settings()))
    assert isinstance(report, Report)
    llm = report.extra.get("llm", {})
    for outcome in llm.get("tables", {}).values():
        assert outcome["task"] in ("verify", "read", "skipped")


def test_live_llm_engine_reads_a_table():
    try:
        report = extract_file(REAL / "seed000.txt", engine="llm", llm=LLMClient(settings(), use_cache=False))
    except LLMError as e:  # the library never raises for a table: it notes the failure
        pytest.fail(f"LLMError escaped: {e}")
    assert report.extra["llm"]["usage"]["calls"] + report.extra["llm"]["usage"]["failures"] >= 3


@pytest.mark.skipif(not os.environ.get("XXGK_LIVE_VISION"), reason="XXGK_LIVE_VISION not set (the live model must read images)")
def test_live_vision_model_reads_a_scanned_table_from_its_page_image():
    scan = REAL.parent / "scans" / "s07_page.png"
    report = extract_file(scan, engine="llm", llm=LLMClient(settings().model_copy(update={"vision": True}), use_cache=False))
    outcome = report.extra["llm"]["tables"]["table_c"]
    assert outcome["task"] == "read" and outcome.get("image_pages") == [1], outcome
