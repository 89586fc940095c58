"""OCR of one page image with rapidocr (the PP-OCR models ship inside its wheel: no download).

``recognise(image)`` returns the text boxes of a page (text, confidence, corner points, and the
boxes of the characters where rapidocr gives them). Results are cached by a hash of the page image
in a diskcache store of JSON strings (never pickles) under ``$XXGK_CACHE_DIR`` or ``~/.cache/xxgk``,
so reading a file a second time does no OCR at all. ``XXGK_OCR_CACHE=0`` turns the cache off.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

# Bump when anything that changes the OCR output changes (engine settings, model, pre-processing).
CACHE_VERSION = "ocr-5"
TEXT_SCORE = 0.3  # keep weak readings (marked low-confidence) rather than lose a number silently
DET_SIDE = 1600  # px: the longer side of the page as text detection sees it

Point = tuple[float, float]


@dataclass
class TextBox:
    """One text box found on a page image: its text, confidence and four corners (pixels)."""

    text: str
    score: float
    quad: list[Point]  # top-left, top-right, bottom-right, bottom-left
    chars: list[tuple[str, float, list[Point]]] = field(default_factory=list)  # per character / word, where known

    @property
    def x0(self) -> float:
        return min(p[0] for p in self.quad)

    @property
    def x1(self) -> float:
        return max(p[0] for p in self.quad)

    @property
    def top(self) -> float:
        return min(p[1] for p in self.quad)

    @property
    def bottom(self) -> float:
        return max(p[1] for p in self.quad)


class OCRUnavailable(RuntimeError):
    """rapidocr or onnxruntime is not installed."""


def available() -> bool:
    """Whether the OCR engine can be loaded."""
    try:
        import onnxruntime  # noqa: F401
        import rapidocr  # noqa: F401
    except ImportError:
        return False
    return True


def _threads() -> int:
    """onnxruntime threads per process: XXGK_OCR_THREADS, else every core (workers set 1)."""
    try:
        return max(0, int(os.environ.get("XXGK_OCR_THREADS", "0")))
    except ValueError:
        return 0


_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def engine() -> Any:
    """The process's rapidocr engine (loaded once; the models come from the wheel)."""
    try:
        from rapidocr import RapidOCR
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise OCRUnavailable("OCR 需要安装 rapidocr 和 onnxruntime (pip install rapidocr onnxruntime)") from e
    threads = _threads()
    params: dict[str, Any] = {
        "Global.log_level": "error",
        "Global.use_cls": False,  # page orientation is settled on the whole page (scan.py)
        "Global.text_score": TEXT_SCORE,
        # the text lines are cut for recognition from the page at full size (200 dpi A4): thin
        # "1"s of a photocopy are lost when the page is shrunk to 1800 px first
        "Global.max_side_len": 2400,
        # detection alone sees the page shrunk to DET_SIDE px (rapidocr's default, shorter side at
        # least 736 px, left a 200 dpi page at full size, and detection took 60% of the time);
        # 1440, 1600 and 1792 px read the scans alike, 1280 px lost a row of a photographed page.
        # A thin "1" on a speckled photocopy scores 0.4–0.5 as a box: 0.5 loses it.
        "Det.limit_type": "max",
        "Det.limit_side_len": DET_SIDE,
        "Det.box_thresh": 0.4,
        # text lines are sorted by width and padded to the widest of their batch (and to at least
        # 320 px, which the model needs: less padding lowers the confidence of lone digits): small
        # batches pad less. 6 is rapidocr's default; 16 was 30% slower.
        "Rec.rec_batch_num": 6,
    }
    if threads:
        params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
        params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
    eng = RapidOCR(params=params)
    _fast_det_normalise(eng)
    return eng


def _fast_det_normalise(eng: Any) -> None:
    """Detection's page normalisation in float32 (rapidocr's float64 mean and std make it 3x slower).

    The same numbers come out; an engine without these attributes is left as it is.
    """
    try:
        det = eng._load_det_model()
        det.mean = np.asarray(det.mean, dtype=np.float32)
        det.std = np.asarray(det.std, dtype=np.float32)
    except Exception:  # pragma: no cover - another rapidocr version
        pass


# ---------------------------------------------------------------- cache


def cache_dir() -> Path:
    """Where xxgk keeps its caches: $XXGK_CACHE_DIR, else ~/.cache/xxgk."""
    env = os.environ.get("XXGK_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "xxgk"


@functools.lru_cache(maxsize=4)
def _cache(path: str) -> Any:
    import diskcache

    return diskcache.Cache(path, size_limit=2**30)


def _store() -> Any | None:
    if os.environ.get("XXGK_OCR_CACHE", "1") in ("0", "false", "no", "off"):
        return None
    try:
        return _cache(str(cache_dir() / "ocr"))
    except Exception:  # an unwritable cache directory must not stop the reading
        return None


def image_key(image: np.ndarray) -> str:
    """The cache key of a page image: its pixels' hash and the engine version."""
    h = hashlib.sha256()
    h.update(repr((image.shape, str(image.dtype))).encode())
    h.update(np.ascontiguousarray(image).tobytes())
    return f"{CACHE_VERSION}:{h.hexdigest()}"


def _dump(boxes: list[TextBox]) -> str:
    return json.dumps([asdict(b) for b in boxes], ensure_ascii=False)


def _load(text: str) -> list[TextBox]:
    out = []
    for d in json.loads(text):
        out.append(
            TextBox(
                text=d["text"],
                score=d["score"],
                quad=[(p[0], p[1]) for p in d["quad"]],
                chars=[(c[0], c[1], [(p[0], p[1]) for p in c[2]]) for c in d.get("chars", [])],
            )
        )
    return out


# ---------------------------------------------------------------- OCR


INK = 160  # grey darker than this (on a cleaned page) is print
CROP_PAD = 40  # px of paper kept around the printed area


def content_box(image: np.ndarray) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of the printed area of a page, with a margin of paper around it.

    Rows and columns with more than two dark pixels count as printed: specks or a dark border of
    a photocopy keep the whole page, which costs time only.
    """
    gray = image[:, :, 0] if image.ndim == 3 else image
    h, w = gray.shape
    ink = gray < INK
    rows = np.flatnonzero(np.count_nonzero(ink, axis=1) > 2)
    cols = np.flatnonzero(np.count_nonzero(ink, axis=0) > 2)
    if not len(rows) or not len(cols):
        return 0, h, 0, w
    return (
        max(0, int(rows[0]) - CROP_PAD),
        min(h, int(rows[-1]) + 1 + CROP_PAD),
        max(0, int(cols[0]) - CROP_PAD),
        min(w, int(cols[-1]) + 1 + CROP_PAD),
    )


def _run(image: np.ndarray) -> list[TextBox]:
    """OCR the printed area of a page image; boxes in the page's pixels.

    The blank margins (40% of an A4 page) are cut off first, and detection sees the printed area at
    the scale it would have on the whole page (DET_SIDE px for the page's longer side): the same
    boxes, found in less time.
    """
    eng = engine()
    h, w = image.shape[:2]
    top, bottom, left, right = content_box(image)
    crop = np.ascontiguousarray(image[top:bottom, left:right])
    det = getattr(eng, "text_det", None)
    with _lock:  # the engine keeps per-call settings on itself
        if det is not None and hasattr(det, "limit_side_len"):
            det.limit_side_len = max(32, round(DET_SIDE * max(bottom - top, right - left) / max(h, w)))
        res = eng(crop, return_word_box=True)
    if res is None or getattr(res, "txts", None) is None:
        return []
    words = res.word_results if res.word_results and len(res.word_results) == len(res.txts) else None
    out: list[TextBox] = []
    for i, (quad, text, score) in enumerate(zip(res.boxes, res.txts, res.scores, strict=True)):
        chars: list[tuple[str, float, list[Point]]] = []
        if words is not None:
            for wd in words[i]:
                if len(wd) == 3 and wd[2] is not None:
                    chars.append((str(wd[0]), float(wd[1]), [(float(x) + left, float(y) + top) for x, y in wd[2]]))
        out.append(
            TextBox(
                text=str(text),
                score=float(score),
                quad=[(float(x) + left, float(y) + top) for x, y in quad],
                chars=chars,
            )
        )
    return out


def recognise(image: np.ndarray, use_cache: bool = True) -> list[TextBox]:
    """The text boxes of a page image (RGB or grey, uint8), from the cache when this image was seen."""
    if image.ndim == 2:
        image = np.stack([image] * 3, axis=-1)
    store = _store() if use_cache else None
    key = image_key(image) if store is not None else ""
    if store is not None:
        try:
            hit = store.get(key)
        except Exception:
            hit = None
        if isinstance(hit, str):
            return _load(hit)
    boxes = _run(image)
    if store is not None:
        try:
            store.set(key, _dump(boxes))
        except Exception:
            pass
    return boxes


__all__ = ["CACHE_VERSION", "OCRUnavailable", "TextBox", "available", "cache_dir", "engine", "image_key", "recognise"]
