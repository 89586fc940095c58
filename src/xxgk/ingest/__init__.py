"""Ingest any supported input file into a ``Document``.

One module per input kind: ``text`` (txt, md), ``html``, ``docx``, ``pdf``, ``image`` (scans by OCR,
also the pages of a PDF without a usable text layer). ``ingest(path)`` picks
the reader by extension, then by content sniffing for files without a known extension.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..document import Document
from ..errors import EmptyDocument, InputError, UnsupportedFileType

SUFFIX_KINDS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".doc": "docx",  # read_docx recognises real legacy .doc files and asks for .docx; many ".doc" are HTML
    ".pdf": "pdf",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
}
SUPPORTED_SUFFIXES = tuple(SUFFIX_KINDS)


def sniff_kind(data: bytes) -> str | None:
    """Guess an input kind from the first bytes of a file."""
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith((b"\xd0\xcf\x11\xe0", b"{\\rtf")):
        return "docx"  # zip package; OLE (.doc, encrypted .docx) and RTF are refused by read_docx with advice
    if head[:8] in (b"\x89PNG\r\n\x1a\n",) or head.startswith((b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    low = head.lower()
    if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low or b"<table" in low:
        return "html"
    return None


def kind_of(path: Path, data: bytes) -> str:
    kind = SUFFIX_KINDS.get(path.suffix.lower())
    sniffed = sniff_kind(data)
    if kind in (None, "txt") and sniffed:
        return sniffed
    # The content wins over a wrong extension for binary formats, and for web pages saved as ".doc(x)".
    if sniffed in ("pdf", "docx", "image") or (sniffed == "html" and kind == "docx"):
        return sniffed
    if kind is None:
        return "txt"
    return kind


def ingest(path: str | Path) -> Document:
    """Read ``path`` into a Document; raise an ``InputError`` naming the file on bad input."""
    p = Path(path)
    if not p.exists():
        raise InputError("文件不存在 (file not found)", p)
    if p.is_dir():
        raise InputError("这是一个目录，不是文件 (a directory, not a file)", p)
    data = p.read_bytes()
    if not data.strip():
        raise EmptyDocument("文件为空 (empty file)", p)
    kind = kind_of(p, data)
    if kind in ("txt", "md"):
        from .text import read_text

        doc = read_text(p, data, kind)
    elif kind == "html":
        from .html import read_html

        doc = read_html(p, data)
    elif kind == "docx":
        from .docx import read_docx

        doc = read_docx(p, data)
    elif kind == "pdf":
        from .image import ocr_pdf_pages
        from .ocr import available
        from .pdf import read_pdf

        doc = read_pdf(p, data, ocr=ocr_pdf_pages if available() else None)
    elif kind == "image":
        from .image import read_image

        doc = read_image(p, data)
    else:
        raise UnsupportedFileType(f"不支持的文件类型 {p.suffix or kind} (unsupported file type)", p)
    doc.sha256 = hashlib.sha256(data).hexdigest()
    doc.renumber()
    if not doc.text().strip():
        raise EmptyDocument("文件中没有可读的文字 (no readable text)", p)
    return doc
