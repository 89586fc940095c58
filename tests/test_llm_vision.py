"""A vision-capable endpoint gets the page images of scanned tables (real HTTP server, real openai + instructor).

A reviewer's stories: a scanned page's table is doubted, the model is shown the page itself; what it
reads there that the OCR text lacks is kept but marked for review; an endpoint without ``vision`` never
gets an image; a text-layer PDF never sends images; a file gone before the LLM step falls back to text.
"""

from __future__ import annotations

import base64
import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from llm_helpers import gold_router, isolated, server  # noqa: F401 (fixtures)
from xxgk.errors import ConfigError
from xxgk.ingest import ingest
from xxgk.llm import LLMClient
from xxgk.llm.config import ConfigFile, resolve_settings
from xxgk.llm.extract import FLAGGED_CONFIDENCE, IMAGE_ONLY_CONFIDENCE, LOW_CONFIDENCE
from xxgk.llm.testing import answer
from xxgk.llm.vision import SIDE
from xxgk.models import Report
from xxgk.pipeline import extract_document, extract_file

ROOT = Path(__file__).resolve().parent.parent
SCANS = ROOT / "fixtures" / "scans"
GENERATED = ROOT / "fixtures" / "generated"


def scan_gold(name: str) -> Report:
    return Report.model_validate_json((SCANS / f"{name}.gold.json").read_text(encoding="utf-8"))


def decoded(url: str) -> Image.Image:
    head, _, data = url.partition(",")
    assert head == "data:image/jpeg;base64"
    return Image.open(io.BytesIO(base64.b64decode(data)))


def test_a_doubted_scanned_table_is_verified_by_a_vision_model_against_its_page_image(server):
    g = scan_gold("s07_page")
    server.fallback = router = gold_router(g)
    report = extract_file(SCANS / "s07_page.png", engine="auto", llm=LLMClient(server.settings(vision=True), use_cache=False))
    # Table C came out of OCR with low-confidence blanks: auto sends it, with the page, to be verified
    assert report.extra["llm"]["tables"]["table_c"]["task"] == "verify"
    assert report.extra["llm"]["tables"]["table_c"]["image_pages"] == [1]
    (req,) = router.seen["verify"]
    (url,) = req.images
    page = decoded(url)
    assert page.mode == "L" and max(page.size) == SIDE and page.height > page.width  # the whole A4 page, upright
    assert "数字以图片为准" in req.text and "行政复议" in req.text  # the OCR text goes along as a hint
    assert any(n.startswith("LLM 看图核对（scripted-model，第1页图片）") for n in report.table_c.notes)
    assert report.table_c.cell("review", "corrected").value == 0


def test_a_number_read_from_the_image_but_not_in_the_ocr_text_is_kept_and_marked_for_review(server):
    g = scan_gold("s07_page")
    # the model reads review.upheld = 7 and the total 7 on the page; the OCR text has neither
    fix = {"corrections": [{"row": "review", "column": "upheld", "value": 7}, {"row": "review", "column": "total", "value": 7}]}
    server.fallback = gold_router(g, verify=answer(fix))
    report = extract_file(SCANS / "s07_page.png", engine="auto", llm=LLMClient(server.settings(vision=True), use_cache=False))
    cell = report.table_c.cell("review", "upheld")
    assert cell.value == 7 and cell.source is not None and cell.source.engine == "llm"
    assert cell.confidence == IMAGE_ONLY_CONFIDENCE < LOW_CONFIDENCE
    assert "按页面图片读出 7，OCR 读作 空白" in (cell.reason or "")
    assert "OCR 读作 0" in (report.table_c.cell("review", "total").reason or "")
    assert sorted(report.extra["llm"]["tables"]["table_c"]["flagged"]) == ["review.total=7", "review.upheld=7"]
    assert any("2 个数字与 OCR 文本不同，按图片读取并标为待核对" in n for n in report.table_c.notes)


def test_without_vision_no_image_is_sent_and_a_number_not_in_the_text_is_not_trusted(server):
    g = scan_gold("s07_page")
    fix = {"corrections": [{"row": "review", "column": "upheld", "value": 7}, {"row": "review", "column": "total", "value": 7}]}
    server.fallback = router = gold_router(g, verify=answer(fix))
    report = extract_file(SCANS / "s07_page.png", engine="auto", llm=LLMClient(server.settings(), use_cache=False))
    (req,) = router.seen["verify"]
    assert req.images == [] and isinstance(req.messages[-1]["content"], str)
    assert report.table_c.cell("review", "total").value == 0  # the OCR's 0 stands
    upheld = report.table_c.cell("review", "upheld")  # a blank has no reading to keep: the 7 is shown, distrusted
    assert upheld.confidence == FLAGGED_CONFIDENCE and "未在原文中出现" in (upheld.reason or "")


@pytest.mark.parametrize("mode", ["tools", "json", "md_json"])
def test_every_mode_carries_the_image_and_parses_the_answer(server, mode):
    server.fallback = router = gold_router(scan_gold("s07_page"))
    report = extract_file(SCANS / "s07_page.png", engine="auto", llm=LLMClient(server.settings(mode=mode, vision=True), use_cache=False))
    (req,) = router.seen["verify"]
    assert req.mode == mode and len(req.images) == 1
    assert report.extra["llm"]["tables"]["table_c"].get("error") is None


def test_a_text_layer_pdf_sends_no_images_even_to_a_vision_model(server):
    g = Report.model_validate_json((GENERATED / "g01_pdf.gold.json").read_text(encoding="utf-8"))
    server.fallback = router = gold_router(g)
    report = extract_file(GENERATED / "g01_pdf.pdf", engine="llm", llm=LLMClient(server.settings(vision=True), use_cache=False))
    assert sorted(router.seen) == ["table_a", "table_b", "table_c"]
    assert all(r.images == [] for reqs in router.seen.values() for r in reqs)
    assert "image_pages" not in report.extra["llm"]["tables"]["table_b"]


def test_a_scan_gone_before_the_llm_step_is_verified_from_the_ocr_text_with_a_note(server, tmp_path):
    path = tmp_path / "page.png"
    shutil.copy(SCANS / "s07_page.png", path)
    doc = ingest(path)
    path.unlink()
    server.fallback = router = gold_router(scan_gold("s07_page"))
    report = extract_document(doc, "auto", LLMClient(server.settings(vision=True), use_cache=False))
    (req,) = router.seen["verify"]
    assert req.images == []
    assert report.extra["llm"]["tables"]["table_c"]["task"] == "verify"
    assert any("未能附上页面图片，改用 OCR 文本" in n and "page.png" in n for n in report.notes)


def test_the_image_is_part_of_the_cache_key(server, isolated):
    server.fallback = router = gold_router(scan_gold("s07_page"))
    settings = server.settings(vision=True)
    extract_file(SCANS / "s07_page.png", engine="auto", llm=LLMClient(settings))
    extract_file(SCANS / "s07_page.png", engine="auto", llm=LLMClient(settings))
    assert len(router.seen["verify"]) == 1  # the same page and question: from the cache
    other = isolated / "other.png"
    Image.open(SCANS / "s07_page.png").convert("L").point(lambda v: min(255, v + 8)).save(other)  # another scan, same text
    extract_file(other, engine="auto", llm=LLMClient(settings))
    assert len(router.seen["verify"]) == 2


def test_vision_is_set_per_endpoint_in_the_config_or_by_the_environment(isolated):
    config = ConfigFile.model_validate({"endpoints": {"office": {"base_url": "http://10.0.0.5:8000/v1", "model": "qwen-vl", "vision": True}}})
    assert resolve_settings("office", env={}, config=config).vision is True
    assert resolve_settings("ollama", env={}, config=ConfigFile()).vision is False
    assert resolve_settings("ollama", env={"XXGK_LLM_VISION": "1"}, config=ConfigFile()).vision is True
    assert resolve_settings("office", env={"XXGK_LLM_VISION": "0"}, config=config).vision is False
    with pytest.raises(ConfigError, match="XXGK_LLM_VISION"):
        resolve_settings("ollama", env={"XXGK_LLM_VISION": "maybe"}, config=ConfigFile())
    assert "vision" in resolve_settings("office", env={}, config=config).describe()


def test_a_page_turned_by_the_ocr_is_sent_upright(server):
    # s03 is a multi-page TIFF whose first page lies on its side (Table A is on it)
    g = scan_gold("s03_copy")
    server.fallback = router = gold_router(g)
    frame = Image.open(SCANS / "s03_copy.tif")
    assert frame.width > frame.height
    report = extract_file(SCANS / "s03_copy.tif", engine="llm", llm=LLMClient(server.settings(vision=True), use_cache=False))
    (req,) = router.seen["table_a"]
    page = decoded(req.images[0])
    assert page.height > page.width
    assert report.extra["llm"]["tables"]["table_a"]["image_pages"] == [1]
