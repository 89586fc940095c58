"""OCR ingest: page clean-up, lines from OCR boxes, and scans read end to end (fixtures/scans).

The end-to-end tests run the real rapidocr engine on about 15 pages (a few seconds each); the OCR
cache points at a temporary directory for the whole session, so each page is OCR'd once.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from xxgk.evaluate.score import score
from xxgk.ingest import image, ingest, scan
from xxgk.ingest.image import _W, _group_rows, fix_digits, read_image
from xxgk.ingest.ocr import TextBox, _dump, _load, image_key
from xxgk.models import Report
from xxgk.pipeline import extract_file

SCANS = Path(__file__).resolve().parent.parent / "fixtures" / "scans"
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

rapidocr = pytest.importorskip("rapidocr")


@pytest.fixture(scope="session", autouse=True)
def ocr_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("xxgk-cache")
    old = os.environ.get("XXGK_CACHE_DIR")
    os.environ["XXGK_CACHE_DIR"] = str(d)
    yield d
    if old is None:
        os.environ.pop("XXGK_CACHE_DIR", None)
    else:
        os.environ["XXGK_CACHE_DIR"] = old


def gold(name: str) -> Report:
    return Report.model_validate_json((SCANS / f"{name}.gold.json").read_text(encoding="utf-8"))


def scan_of(name: str) -> Path:
    return next(p for p in SCANS.glob(f"{name}.*") if not p.name.endswith(".gold.json"))


# ---------------------------------------------------------------- pure parts


@pytest.mark.parametrize(
    ("text", "in_row", "want"),
    [("1O", False, "10"), ("l2", False, "12"), ("S", True, None), ("O", True, "0"), ("O", False, None),
     ("0.", True, "0"), ("3B", False, "38"), ("12", True, None), ("1.属于国家秘密", True, None), ("其他", True, None)],
)
def test_digit_confusions_are_fixed_only_in_numbers(text: str, in_row: bool, want: str | None) -> None:
    assert fix_digits(text, in_row) == want


def w(text: str, x0: float, top: float, x1: float, h: float = 38.0) -> _W:
    return _W(text, x0, top, x1, top + h, 0.99)


def test_numbers_of_a_row_stay_together_beside_a_wrapped_label() -> None:
    # a two-line label; the numbers sit half a line lower than its first line, the first one a bit higher
    words = [w("2.其他法律行政法规禁止公", 480, 944, 820), w("开", 482, 981, 522)]
    words += [w("0", 873 + 90 * i, 962 if i == 4 else 964, 900 + 90 * i) for i in range(7)]
    rows = _group_rows(words)
    numbers = [r for r in rows if any(x.text == "0" for x in r)]
    assert len(numbers) == 1 and sum(x.text == "0" for x in numbers[0]) == 7
    assert numbers[0][0].text.startswith("2.其他法律")  # joined the label's first line


def page_image(angle: float = 0.0) -> np.ndarray:
    img = Image.new("L", (1200, 1600), 255)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 34)
    for i in range(25):
        d.text((100, 100 + 55 * i), "政府信息公开工作年度报告 2575 169 16 10", fill=0, font=font)
    return np.asarray(img.rotate(angle, resample=Image.BICUBIC, fillcolor=255))


@pytest.mark.parametrize("angle", [0.0, 1.5, -2.0])
def test_skew_is_measured(angle: float) -> None:
    assert scan.skew_angle(page_image(angle)) == pytest.approx(-angle, abs=0.3)  # the turn that undoes it


def test_a_photographed_sheet_is_found_and_a_scan_is_left_alone() -> None:
    from xxgk.synth.scan import photograph

    flat = Image.fromarray(page_image()).convert("RGB")
    assert scan.page_quad(scan.to_gray(np.asarray(flat))) is None
    photo = np.asarray(photograph(flat, seed=3))
    quad = scan.page_quad(scan.to_gray(photo))
    assert quad is not None
    out = scan.dewarp(scan.to_gray(photo), quad)
    assert abs(out.shape[0] / out.shape[1] - 1600 / 1200) < 0.15


def test_a_red_seal_fades_in_the_cleaned_page() -> None:
    from xxgk.synth.scan import seal

    page = Image.new("RGB", (600, 600), "white")
    stamped = np.asarray(seal(page, (300, 300), 150, seed=1))
    assert stamped[:, :, 1].min() < 120  # visibly red in colour
    assert scan.even_light(scan.to_gray(stamped)).min() > 200  # gone once cleaned


def test_the_printed_area_is_found_with_a_margin() -> None:
    from xxgk.ingest.ocr import CROP_PAD, content_box

    page = np.full((2339, 1654), 255, np.uint8)
    page[400:900, 300:1200] = 0
    assert content_box(page) == (400 - CROP_PAD, 900 + CROP_PAD, 300 - CROP_PAD, 1200 + CROP_PAD)
    assert content_box(np.full((100, 80), 255, np.uint8)) == (0, 100, 0, 80)  # a blank page is left whole
    specks = page.copy()
    specks[5, [100, 1500]] = 0  # a speck or two in a row or a column is not print
    specks[2300, 40] = 0
    assert content_box(specks) == content_box(page)


def test_boxes_are_in_page_pixels_when_the_margins_are_cut_off() -> None:
    from xxgk.ingest.ocr import recognise

    img = Image.new("L", (1654, 2339), 255)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 40)
    d.text((700, 1200), "本年新收 2575", fill=0, font=font)
    d.text((300, 600), "政府信息公开", fill=0, font=font)
    boxes = recognise(np.asarray(img), use_cache=False)
    got = {b.text.replace(" ", ""): b for b in boxes}
    assert "政府信息公开" in got and any("2575" in t for t in got)
    b = got["政府信息公开"]
    assert abs(b.x0 - 300) < 15 and abs(b.top - 600) < 15
    number = next(b for t, b in got.items() if "2575" in t)
    assert abs(number.x0 - 700) < 15 and abs(number.top - 1200) < 15
    for b in boxes:
        for _, _, quad in b.chars:
            assert all(b.x0 - 5 <= x <= b.x1 + 5 and b.top - 5 <= y <= b.bottom + 5 for x, y in quad)


def test_no_space_after_full_width_punctuation() -> None:
    from xxgk.ingest.image import _join

    assert _join([w("二、", 100, 0, 150), w("主动公开", 175, 0, 330)]) == "二、主动公开"
    assert _join([w("二", 100, 0, 140), w("主动公开", 175, 0, 330)]) == "二 主动公开"  # a real gap stays one


def test_ocr_cache_entries_are_json() -> None:
    boxes = [TextBox("2575", 0.98, [(1, 2), (30, 2), (30, 20), (1, 20)], [("2575", 0.98, [(1, 2), (30, 2), (30, 20), (1, 20)])])]
    text = _dump(boxes)
    assert json.loads(text)[0]["text"] == "2575"
    assert _load(text) == boxes
    a = np.zeros((4, 4, 3), np.uint8)
    assert image_key(a) != image_key(a + 1) and image_key(a) == image_key(a.copy())


def test_a_damaged_image_is_a_clear_error(tmp_path: Path) -> None:
    from xxgk.errors import CorruptFile

    p = tmp_path / "bad.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(CorruptFile):
        ingest(p)


# ---------------------------------------------------------------- scans end to end


def check_cells(name: str, at_least: float = 1.0) -> tuple[Report, object]:
    got = extract_file(scan_of(name))
    s = score(gold(name), got)
    assert s.accuracy >= at_least, [f"{d.path}: {d.gold} → {d.got}" for d in s.diffs]
    # a cell that is wrong is marked: unreadable, or low confidence in a table below 0.9
    for d in s.diffs:
        t, r, c = d.path.split(".")
        cell = got.tables[t].cell(r, c)
        assert cell.state.value == "unreadable" or (cell.confidence or 1.0) < 0.9, d
        assert got.tables[t].confidence < 0.9
    return got, s


@pytest.mark.slow
def test_heavy_scan_image_only_pdf() -> None:
    got, _ = check_cells("s02_heavy")
    assert got.source is not None and got.source.kind == "pdf"
    assert any("经OCR识别" in n for n in got.notes) and any("纠偏" in n for n in got.notes)
    cell = got.table_b.cell("new", "total")
    assert cell.source is not None and cell.source.engine == "ocr" and cell.confidence and cell.confidence > 0.9
    assert cell.source.box is not None and 0 < cell.source.box.x0 < 595


@pytest.mark.slow
def test_broken_glyph_text_layer_falls_back_to_ocr() -> None:
    got, _ = check_cells("s09_glyphs")
    assert any("经OCR识别" in n for n in got.notes)


@pytest.mark.slow
def test_photocopied_multipage_tiff_with_a_page_on_its_side() -> None:
    got, s = check_cells("s03_copy", at_least=0.99)
    assert got.source is not None and got.source.kind == "image" and got.source.pages == 3
    assert any("页面旋转 90°" in n for n in got.notes)


@pytest.mark.slow
def test_red_seal_over_the_tables() -> None:
    check_cells("s04_seal")


def test_photographed_page_as_jpeg() -> None:
    got, _ = check_cells("s06_photo")
    assert any("透视校正" in n for n in got.notes)


def test_mixed_pdf_reads_only_the_scanned_page_by_ocr_and_caches_it(monkeypatch: pytest.MonkeyPatch) -> None:
    path = scan_of("s08_mixed")
    first, _ = check_cells("s08_mixed")
    assert "第3页经OCR识别 (read by OCR)" in first.notes

    def no_ocr(*a: object, **k: object) -> None:
        raise AssertionError("page 3 was OCR'd again instead of coming from the cache")

    monkeypatch.setattr(image.scan, "clean", no_ocr)
    monkeypatch.setattr(image.ocr, "recognise", no_ocr)
    again = extract_file(path)
    assert "第3页经OCR识别 (read by OCR)" in again.notes
    assert again.table_b.model_dump() == first.table_b.model_dump()


def test_workers_read_pages_in_parallel_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_OCR_CACHE", "0")
    path = scan_of("s03_copy")
    doc = read_image(path, path.read_bytes(), n_workers=2)
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert "本年新收" in doc.text().replace(" ", "")


def test_table_c_with_blank_cells_placed_under_its_column_headers() -> None:
    got, _ = check_cells("s07_page")
    c = got.table_c
    assert "表四有空白单元格，按表头各列的位置对应数值" in c.notes
    assert c.cell("review", "upheld").state.value == "blank" and c.cell("review", "corrected").value == 0
    assert c.cell("litigation_direct", "other").value == 0 and c.cell("litigation_direct", "total").state.value == "blank"
