"""Scanned pages into a Document: page images → clean-up → OCR → lines of words with boxes.

Used for image files (PNG, JPEG, TIFF including multi-page TIFF) and for the pages of a PDF whose
text layer is missing or garbage. A page's lines are built from the OCR boxes: words (one box per
number), rows grouped by vertical overlap, box coordinates in PDF points from the top-left like
every other ingester. Every word carries its OCR confidence; digits misread as letters
(O/〇→0, l/I→1, S→5, B→8 …) are corrected only in tokens that are otherwise numbers, and such a
word's confidence is lowered. Pages run in parallel with ``workers`` > 1 (processes, one OCR thread
each); results are cached by page image (see ``ocr.py``).
"""

from __future__ import annotations

import atexit
import json
import os
import re
import statistics
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from ..document import Document, Line, Page, Word
from ..errors import CorruptFile, InputError, NeedsOCR
from ..models import LOW_CONFIDENCE, Box  # LOW_CONFIDENCE: a word read with less is marked for a second opinion
from . import ocr, scan

CORRECTED_CONFIDENCE = 0.8  # a word whose letters were turned into digits
PAGE_CACHE_VERSION = "page-7"  # the cached page holds OCR boxes only: layout changes need no bump

# ---------------------------------------------------------------- workers

_workers: int | None = None
_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def set_workers(n: int | None) -> None:
    """Pages OCR'd in parallel (processes); None or 1: in this process. Also ``XXGK_OCR_WORKERS``."""
    global _workers
    _workers = n


def workers() -> int:
    if _workers is not None:
        return max(1, _workers)
    try:
        return max(1, int(os.environ.get("XXGK_OCR_WORKERS", "1")))
    except ValueError:
        return 1


def _init_worker() -> None:
    os.environ["XXGK_OCR_THREADS"] = "1"


def _get_pool(n: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != n:
        if _pool is not None:
            _pool.shutdown(cancel_futures=True)
        import multiprocessing

        _pool = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker)
        _pool_size = n
    return _pool


@atexit.register
def _close_pool() -> None:
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)


# ---------------------------------------------------------------- one page


@dataclass
class PageOCR:
    """The OCR of one page: text boxes on the cleaned page image, its size, what the clean-up did."""

    width: int
    height: int
    boxes: list[ocr.TextBox]
    notes: list[str] = field(default_factory=list)
    turned: int = 0  # quarter turns applied (orientation)

    def to_json(self) -> str:
        from dataclasses import asdict

        return json.dumps(
            {"width": self.width, "height": self.height, "notes": self.notes, "turned": self.turned, "boxes": [asdict(b) for b in self.boxes]},
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> PageOCR:
        d = json.loads(text)
        boxes = ocr._load(json.dumps(d["boxes"]))
        return cls(width=d["width"], height=d["height"], boxes=boxes, notes=d["notes"], turned=d["turned"])


def _is_tall(b: ocr.TextBox) -> bool:
    w, h = b.x1 - b.x0, b.bottom - b.top
    return h > 1.5 * w and len(b.text) >= 3


def _quality(boxes: list[ocr.TextBox]) -> float:
    """How readable the page came out: characters read, weighted by confidence, in wide boxes."""
    return sum(len(b.text) * b.score**2 for b in boxes if not _is_tall(b))


def ocr_cleaned(gray: np.ndarray, use_cache: bool = True) -> tuple[np.ndarray, list[ocr.TextBox], int]:
    """OCR a cleaned page, trying the other orientations when it reads as turned or upside down."""
    boxes = ocr.recognise(gray, use_cache)
    turned = 0
    tall = sum(_is_tall(b) for b in boxes)
    candidates: list[int] = []
    if boxes and tall > 0.5 * len(boxes):
        candidates = [1, 3]  # text runs vertically: the page lies on its side
    elif boxes and (statistics.median(b.score for b in boxes) < 0.8 or _quality(boxes) < 20):
        candidates = [2]  # poor reading: perhaps upside down
    best = (_quality(boxes), 0, gray, boxes)
    for q in candidates:
        g = scan.turn(gray, q)
        bx = ocr.recognise(g, use_cache)
        if _quality(bx) > best[0] * 1.2:
            best = (_quality(bx), q, g, bx)
        if q == 1 and best[1] == 1 and statistics.median(b.score for b in bx or [ocr.TextBox("", 0, [(0, 0)] * 4)]) > 0.85:
            break  # readable after one quarter turn: no need to try the other
    _, turned, gray, boxes = best
    return gray, boxes, turned


def ocr_page_image(rgb: np.ndarray, use_cache: bool = True) -> PageOCR:
    """Clean up a page image and OCR it; cached as a whole by the raw image's hash."""
    store = ocr._store() if use_cache else None
    key = f"{PAGE_CACHE_VERSION}:{ocr.image_key(rgb)}"
    if store is not None:
        try:
            hit = store.get(key)
        except Exception:
            hit = None
        if isinstance(hit, str):
            return PageOCR.from_json(hit)
    cleaned = scan.clean(rgb)
    gray, boxes, turned = ocr_cleaned(cleaned.gray, use_cache=False)
    notes = list(cleaned.notes)
    if turned:
        notes.append(f"页面旋转 {turned * 90}° (page turned)")
    result = PageOCR(width=gray.shape[1], height=gray.shape[0], boxes=boxes, notes=notes, turned=turned)
    if store is not None:
        try:
            store.set(key, result.to_json())
        except Exception:
            pass
    return result


def _ocr_job(job: tuple[str, Any, int | None]) -> PageOCR:
    """A page job for a worker: ("pdf", (data, page number), dpi) or ("rgb", array, None)."""
    kind, payload, dpi = job
    if kind == "pdf":
        data, number = payload
        rgb = np.asarray(scan.render_pdf_page(data, number, dpi or scan.RENDER_DPI))
    else:
        rgb = payload
    return ocr_page_image(rgb)


def ocr_jobs(jobs: list[tuple[str, Any, int | None]], n_workers: int | None = None) -> list[PageOCR]:
    """Run page jobs, in parallel processes when there are several pages and workers."""
    n = n_workers if n_workers is not None else workers()
    if n > 1 and len(jobs) > 1:
        return list(_get_pool(min(n, len(jobs))).map(_ocr_job, jobs))
    return [_ocr_job(j) for j in jobs]


# ---------------------------------------------------------------- words and lines

# letters OCR puts for digits; only used in tokens that are otherwise numbers
_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "〇": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "i": "1",
                            "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "g": "9", "q": "9", "，": ",", "。": "."})
_NUMBERISH = re.compile(r"^[0-9OoD〇QlI|iSsBZzgq,，.。]+$")
_DIGITS = re.compile(r"^\d[\d,]*(\.\d+)?$")
_STRAY = ".,，。·'`:：;；_-"
_FOOTER = re.compile(r"^[—–\-－~一_=]+\s*\d{1,4}\s*[—–\-－~一_=]+$")


def fix_digits(text: str, in_number_row: bool) -> str | None:
    """The number a token means when OCR put letters for digits (``1O`` → ``10``), else None.

    ``in_number_row``: the token is among the values of a row of numbers; only there is a lone
    letter (``O``) taken as a digit, or a speck beside a number (``0.``) dropped.
    """
    t = text.strip()
    if not t or _DIGITS.match(t):
        return None
    bare = t.strip(_STRAY)
    if in_number_row and bare != t and _DIGITS.match(bare):
        return bare  # a speck read as a dot or a comma beside a number: "0." → "0"
    if not _NUMBERISH.match(t):
        return None
    if not any(c.isdigit() for c in t) and not (in_number_row and len(t) == 1 and t in "O〇oDQlI|"):
        return None
    fixed = t.translate(_DIGIT_FIX)
    return fixed if _DIGITS.match(fixed) else None


@dataclass
class _W:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def h(self) -> float:
        return max(self.bottom - self.top, 1.0)


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3000 <= o <= 0x303F or 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or ch in "“”‘’—…·"


def _split_box(b: ocr.TextBox) -> list[_W]:
    """Words of one OCR box: split at spaces and at wide gaps between characters."""
    text = b.text.strip()
    h = b.bottom - b.top
    chars = [c for c in b.chars if c[0].strip()]
    flat = "".join(c[0] for c in chars).replace(" ", "")
    if chars and flat == text.replace(" ", ""):
        # group characters: a space in the text or a gap wider than the line height starts a new word
        groups: list[list[tuple[str, float, list[tuple[float, float]]]]] = []
        spaces = set()
        pos = 0
        for i, ch in enumerate(text):
            if ch == " ":
                spaces.add(pos)
            else:
                pos += len(ch)
        pos = 0
        for c in chars:
            cx0 = min(p[0] for p in c[2])
            if groups:
                px1 = max(p[0] for p in groups[-1][-1][2])
                if pos in spaces or cx0 - px1 > 0.9 * h:
                    groups.append([])
            else:
                groups.append([])
            groups[-1].append(c)
            pos += len(c[0])
        out = []
        for g in groups:
            xs = [p[0] for c in g for p in c[2]]
            out.append(_W("".join(c[0] for c in g), min(xs), b.top, max(xs), b.bottom, min(b.score, min(c[1] for c in g))))
        return out
    parts = text.split()
    if len(parts) <= 1:
        return [_W(text, b.x0, b.top, b.x1, b.bottom, b.score)]
    # no character boxes: share the box width by character count
    total = sum(len(p) for p in parts) + len(parts) - 1
    out, pos = [], 0
    width = b.x1 - b.x0
    for p in parts:
        x0 = b.x0 + width * pos / total
        x1 = b.x0 + width * (pos + len(p)) / total
        out.append(_W(p, x0, b.top, x1, b.bottom, b.score))
        pos += len(p) + 1
    return out


def _clash(row: list[_W], w: _W) -> bool:
    """Whether ``w`` overlaps a word of the row horizontally (then it is on another line)."""
    return any(min(o.x1, w.x1) - max(o.x0, w.x0) > 0.3 * min(o.x1 - o.x0, w.x1 - w.x0) for o in row)


def _overlap(a: list[_W], b: list[_W]) -> float:
    top, bottom = max(min(w.top for w in a), min(w.top for w in b)), min(max(w.bottom for w in a), max(w.bottom for w in b))
    return (bottom - top) / max(1.0, min(statistics.median(w.h for w in a), statistics.median(w.h for w in b)))


def _group_rows(words: list[_W]) -> list[list[_W]]:
    """Words grouped into rows, in two steps.

    1. Tight rows: words whose vertical centres agree within a third of their height (the numbers
       of a table row are printed on one baseline; a wrapped label's lines sit half a line off).
    2. A row of numbers only joins the label line it overlaps most (the first line of a wrapped
       label when it overlaps enough), so a label and its numbers make one line where they can.
    """
    rows: list[list[_W]] = []
    centres: list[float] = []  # per row: the median centre and height of its words
    heights: list[float] = []
    for w in sorted(words, key=lambda w: (w.cy, w.x0)):
        best, best_gap = -1, float("inf")
        for k in range(max(0, len(rows) - 15), len(rows)):
            r = rows[k]
            if abs(w.cy - centres[k]) > 0.3 * min(w.h, heights[k]) or _clash(r, w):
                continue
            gap = min(max(o.x0 - w.x1, w.x0 - o.x1, 0.0) for o in r)
            if gap < best_gap:
                best, best_gap = k, gap
        if best < 0:
            rows.append([w])
            centres.append(w.cy)
            heights.append(w.h)
        else:
            rows[best].append(w)
            centres[best] = statistics.median(o.cy for o in rows[best])
            heights[best] = statistics.median(o.h for o in rows[best])
    order = sorted(range(len(rows)), key=lambda k: centres[k])
    rows = [sorted(rows[k], key=lambda w: w.x0) for k in order]
    merged: list[list[_W] | None] = list(rows)
    for k, r in enumerate(rows):
        if not all(_DIGITS.match(w.text) for w in r):
            continue
        options = []
        for d in (-1, 1, -2, 2):
            m = k + d
            if 0 <= m < len(rows) and merged[m] is not None and m != k:
                other = merged[m]
                assert other is not None
                if any(_DIGITS.match(w.text) for w in other) or max(w.x1 for w in other) > min(w.x0 for w in r):
                    continue  # only a label line to the left of the numbers
                ov = _overlap(r, other)
                if ov >= (0.35 if d < 0 else 0.5):
                    options.append((d > 0, -ov, m))
        if options:
            m = min(options)[2]
            target = merged[m]
            assert target is not None
            target.extend(r)
            target.sort(key=lambda w: w.x0)
            merged[k] = None
    return [r for r in merged if r]


_OPEN_RIGHT = "、，。：；！？）》」』】"  # full-width punctuation: its glyph leaves the right half of its square blank


def _join(ws: list[_W]) -> str:
    out = ws[0].text
    for a, b in zip(ws, ws[1:]):
        # OCR boxes end at the ink: after "二、" the blank half of "、" is part of the gap
        tight = b.x0 - a.x1 < (1.0 if a.text[-1] in _OPEN_RIGHT else 0.5) * min(a.h, b.h)
        out += ("" if tight and _is_cjk(a.text[-1]) and _is_cjk(b.text[0]) else " ") + b.text
    return out


def page_lines(res: PageOCR, scale: float, number: int, notes: list[str]) -> list[Line]:
    """The lines of an OCR'd page, boxes in points (``scale`` points per pixel)."""
    boxes = [b for b in res.boxes if b.text.strip()]
    med = statistics.median([b.bottom - b.top for b in boxes]) if boxes else 1.0
    # specks of noise read as a character: far smaller than any printed character
    specks = [b for b in boxes if b.bottom - b.top < 0.45 * med and b.x1 - b.x0 < 0.45 * med and b.score < LOW_CONFIDENCE]
    # a vertical label (三、本年度办理结果 printed one character per line) is a line of its own
    tall = [b for b in boxes if b.bottom - b.top > 2.2 * med and b.bottom - b.top > 2 * (b.x1 - b.x0)]
    skip = {id(b) for b in specks + tall}
    words = [w for b in boxes if id(b) not in skip for w in _split_box(b) if w.text.strip()]
    rows = _group_rows(words) + [[_W(b.text, b.x0, b.top, b.x1, b.bottom, b.score)] for b in tall]
    rows.sort(key=lambda r: statistics.median(w.cy for w in r))
    out: list[Line] = []
    height = res.height
    for ws in rows:
        numeric = sum(1 for w in ws if _DIGITS.match(w.text))
        fixed_words: list[Word] = []
        # tail[i]: every word from i to the end of the row looks like a number
        tail = [True] * (len(ws) + 1)
        for i in range(len(ws) - 1, -1, -1):
            tail[i] = tail[i + 1] and bool(_NUMBERISH.match(ws[i].text.strip(_STRAY) or "x"))
        for i, w in enumerate(ws):
            text, conf = w.text, w.score
            # only among the values at the end of a row: "3." before "其他" is a label's numbering
            among_values = numeric >= 2 and tail[i]
            fixed = fix_digits(text, among_values)
            if fixed is not None:
                notes.append(f"第{number}页：OCR“{text}”按数字读作“{fixed}” (OCR letters read as digits)")
                text, conf = fixed, min(conf, CORRECTED_CONFIDENCE)
            w.text = text
            fixed_words.append(
                Word(
                    text=text,
                    box=Box(x0=round(w.x0 * scale, 2), top=round(w.top * scale, 2), x1=round(w.x1 * scale, 2), bottom=round(w.bottom * scale, 2)),
                    confidence=round(conf, 4),
                )
            )
        text = _join(ws)
        top, bottom = min(w.top for w in ws), max(w.bottom for w in ws)
        in_margin = bottom < 0.1 * height or top > 0.9 * height
        centred = abs((ws[0].x0 + ws[-1].x1) / 2 - res.width / 2) < 0.1 * res.width
        if in_margin and (_FOOTER.match(text.replace(" ", "")) or (centred and re.fullmatch(r"\d{1,3}", text.replace(" ", "")))):
            notes.append(f"第{number}页：删除页码“{text}” (dropped page number)")
            continue
        out.append(
            Line(
                text=text,
                page=number,
                box=Box(
                    x0=min(w.box.x0 for w in fixed_words),
                    top=min(w.box.top for w in fixed_words),
                    x1=max(w.box.x1 for w in fixed_words),
                    bottom=max(w.box.bottom for w in fixed_words),
                ),
                words=fixed_words,
            )
        )
    return out


def to_page(res: PageOCR, number: int, dpi: float | None, notes: list[str]) -> Page:
    """A Document page from a page's OCR: points from the dpi, or the width taken as A4's."""
    scale = 72.0 / dpi if dpi and not res.turned and "透视校正 (perspective corrected)" not in res.notes else scan.A4_WIDTH_PT / max(res.width, 1)
    for n in res.notes:
        notes.append(f"第{number}页：{n}")
    low = [b for b in res.boxes if b.score < LOW_CONFIDENCE]
    if low:
        notes.append(f"第{number}页：{len(low)}处OCR置信度低于{LOW_CONFIDENCE} (low-confidence OCR)")
    return Page(
        number=number, width=round(res.width * scale, 2), height=round(res.height * scale, 2), blocks=list(page_lines(res, scale, number, notes)), turned=res.turned
    )


# ---------------------------------------------------------------- files


def _need_engine(path: Path) -> None:
    if not ocr.available():
        raise NeedsOCR("需要OCR，但没有安装 rapidocr / onnxruntime (pip install rapidocr onnxruntime)", path)


def read_image(path: str | Path, data: bytes, n_workers: int | None = None) -> Document:
    """Read an image file (PNG, JPEG, TIFF, multi-page TIFF) by OCR."""
    path = Path(path)
    try:
        frames = scan.open_images(data)
    except Exception as e:
        raise CorruptFile(f"图片文件已损坏，无法打开 (damaged image: {type(e).__name__})", path) from e
    if not frames:
        raise CorruptFile("图片文件中没有页面 (no pages)", path)
    _need_engine(path)
    doc = Document(path=str(path), kind="image")
    jobs: list[tuple[str, Any, int | None]] = [("rgb", np.asarray(img), None) for img, _ in frames]
    results = ocr_jobs(jobs, n_workers)
    for i, (res, (_, dpi)) in enumerate(zip(results, frames, strict=True), 1):
        doc.pages.append(to_page(res, i, dpi, doc.notes))
    doc.notes.append(f"全部{len(frames)}页经OCR识别 (read by OCR)")
    return doc


def ocr_pdf_pages(path: str | Path, data: bytes, pages: list[int], n_workers: int | None = None) -> tuple[dict[int, Page], list[str]]:
    """OCR the given pages (1-based) of a PDF: the pages read (lines with boxes in PDF points) and notes."""
    path = Path(path)
    _need_engine(path)
    dpi = scan.RENDER_DPI
    jobs: list[tuple[str, Any, int | None]] = [("pdf", (data, n), dpi) for n in pages]
    try:
        results = ocr_jobs(jobs, n_workers)
    except InputError:
        raise
    except Exception as e:
        raise CorruptFile(f"PDF页面无法渲染 (cannot render PDF page: {type(e).__name__})", path) from e
    notes: list[str] = []
    out = {n: to_page(res, n, dpi, notes) for n, res in zip(pages, results, strict=True)}
    notes.append(f"第{'、'.join(map(str, pages))}页经OCR识别 (read by OCR)")
    return out, notes


__all__ = ["LOW_CONFIDENCE", "PageOCR", "fix_digits", "ocr_page_image", "ocr_pdf_pages", "page_lines", "read_image", "set_workers", "workers"]
