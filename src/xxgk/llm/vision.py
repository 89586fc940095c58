"""Page images for a vision-capable model: the scanned pages a table was read from, as data URLs.

With ``vision`` set on the endpoint (``vision = true`` in its config entry, or ``XXGK_LLM_VISION=1``),
a table that goes to the LLM and was read by OCR is sent with the images of its pages: the model reads
the numbers from the page itself, the OCR text beside it as a hint. Its answer goes through the same
response models, identity gate and checker as a text answer (``extract.process_table``).

Pages are taken again from the file (an image's frame, a PDF page rendered), turned grey, scaled to
at most ``SIDE`` pixels on the longer side and sent as JPEG: a page of print stays legible, at a
fraction of the bytes of a PNG.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import numpy as np
from PIL import Image

from ..document import Document, Line
from ..ingest import scan
from ..models import Location

SIDE = 1600  # px, the longer side of a page image sent to the model
QUALITY = 80  # JPEG quality
MAX_PAGES = 3  # a table spans at most this many pages


class PageImageError(Exception):
    """The page images could not be made (the file is gone or unreadable)."""


def ocr_pages(doc: Document, location: Location | None) -> list[int]:
    """The pages within ``location`` whose text came from OCR (their words carry OCR confidences)."""
    if location is None or location.page_start is None:
        return []
    last = location.page_end or location.page_start
    out = []
    for page in doc.pages:
        if location.page_start <= page.number <= last and any(
            isinstance(b, Line) and any(w.confidence is not None for w in b.words) for b in page.blocks
        ):
            out.append(page.number)
    return out[:MAX_PAGES]


def _data_url(img: Image.Image, turns: int = 0) -> str:
    img = img.convert("L")
    if turns:
        img = Image.fromarray(scan.turn(np.asarray(img), turns))
    scale = SIDE / max(img.size)
    if scale < 1:
        img = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=QUALITY, optimize=True)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def page_images(doc: Document, pages: list[int]) -> list[str]:
    """JPEG data URLs of ``pages`` (1-based) of the document's file."""
    path = Path(doc.path)
    turned = {p.number: p.turned for p in doc.pages}  # as the OCR set each page upright
    try:
        data = path.read_bytes()
    except OSError as e:
        raise PageImageError(f"无法读取原文件以取得页面图片 (cannot read the file for page images): {path}: {e.strerror or e}") from e
    try:
        if doc.kind == "pdf":
            return [_data_url(scan.render_pdf_page(data, n, 150), turned.get(n, 0)) for n in pages]
        frames = scan.open_images(data)
        return [_data_url(frames[n - 1][0], turned.get(n, 0)) for n in pages]
    except Exception as e:
        raise PageImageError(f"无法生成页面图片 (cannot make page images): {path}: {type(e).__name__}: {e}") from e


__all__ = ["MAX_PAGES", "PageImageError", "ocr_pages", "page_images"]
