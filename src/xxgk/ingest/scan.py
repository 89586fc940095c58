"""Page clean-up before OCR: grey from the red channel (a red seal fades), even light, page
perspective, skew; and the images of a scan (PDF pages rendered with pypdfium2, image files,
multi-page TIFF).

Every step is a pure function on numpy arrays; ``clean(image)`` runs them in order and returns the
cleaned grey page with what was done, for the Document's notes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageOps, ImageSequence

RENDER_DPI = 200  # PDF pages are rendered at this resolution for OCR
MAX_SKEW = 6.0  # degrees searched for skew
A4_WIDTH_PT = 595.28
WHITE = 200.0  # after levelling, grey lighter than this is paper (a red seal reads ~215 in the red channel)


@dataclass
class Cleaned:
    """A page ready for OCR: grey pixels and what the clean-up did."""

    gray: np.ndarray
    skew: float = 0.0  # degrees the page was turned back
    dewarped: bool = False
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- loading


def open_images(data: bytes) -> list[tuple[Image.Image, float | None]]:
    """The pages of an image file (every frame of a multi-page TIFF), each with its dpi if recorded."""
    img = Image.open(io.BytesIO(data))
    out: list[tuple[Image.Image, float | None]] = []
    for frame in ImageSequence.Iterator(img):
        dpi = frame.info.get("dpi") or img.info.get("dpi")
        d = float(dpi[0]) if isinstance(dpi, tuple) and dpi and dpi[0] else None
        page = ImageOps.exif_transpose(frame.copy()) or frame.copy()
        out.append((page.convert("RGB"), d if d and 70 <= d <= 1200 else None))
    return out


def render_pdf_page(data: bytes, number: int, dpi: int = RENDER_DPI) -> Image.Image:
    """Render one PDF page (1-based) to an RGB image with pypdfium2."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[number - 1]
        img = page.render(scale=dpi / 72, grayscale=False).to_pil().convert("RGB")
        page.close()
        return img
    finally:
        pdf.close()


# ---------------------------------------------------------------- clean-up steps


def to_gray(rgb: np.ndarray) -> np.ndarray:
    """Grey from the red channel: black print stays black, a red seal turns almost white."""
    if rgb.ndim == 2:
        return rgb
    return np.ascontiguousarray(rgb[:, :, 0])


def even_light(gray: np.ndarray) -> np.ndarray:
    """Divide by the background (print removed by a max filter): uneven light and grey paper become white."""
    import cv2

    h, w = gray.shape
    small = cv2.resize(gray, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    bg = cv2.dilate(small, np.ones((9, 9), np.uint8))  # text strokes are thinner than 9 px at 1/4 scale
    bg = cv2.GaussianBlur(bg, (0, 0), 8)
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    out = gray.astype(np.float32) / np.maximum(bg, 1.0) * 255.0
    # stretch: the darkest print to black, faint marks (a red seal's trace, paper grain) to white
    lo = min(float(np.percentile(out, 0.5)), 100.0)  # a page without dark print is not stretched
    out = (out - lo) * (255.0 / max(WHITE - lo, 1.0))
    return np.clip(out, 0, 255).astype(np.uint8)


def _order(pts: np.ndarray) -> np.ndarray:
    s, d = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], dtype=np.float32)


def page_quad(gray: np.ndarray) -> np.ndarray | None:
    """The corners of a photographed sheet of paper on a darker background, or None."""
    import cv2

    h, w = gray.shape
    scale = 800.0 / max(h, w)
    small = cv2.resize(gray, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    _, mask = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    c = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(c)
    frame = small.shape[0] * small.shape[1]
    if area < 0.3 * frame or area > 0.97 * frame:
        return None  # no sheet, or the sheet is the whole image (a scan)
    approx = cv2.approxPolyDP(c, 0.02 * cv2.arcLength(c, True), True)
    if len(approx) != 4:
        return None
    quad = _order(approx.reshape(4, 2).astype(np.float32) / scale)
    # the sheet must not already be an upright rectangle touching the frame
    margin = min(quad[:, 0].min(), quad[:, 1].min(), w - quad[:, 0].max(), h - quad[:, 1].max())
    return quad if margin > 2 else None


def dewarp(gray: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The sheet inside ``quad`` warped to an upright rectangle of A4 proportions."""
    import cv2

    top = np.linalg.norm(quad[1] - quad[0])
    bottom = np.linalg.norm(quad[2] - quad[3])
    left = np.linalg.norm(quad[3] - quad[0])
    right = np.linalg.norm(quad[2] - quad[1])
    width = max(top, bottom)
    height = max(left, right, width * 1.2)
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(quad, dst)
    return cv2.warpPerspective(gray, m, (int(width), int(height)), flags=cv2.INTER_CUBIC, borderValue=255)


def _rotate(gray: np.ndarray, angle: float, interp: int | None = None) -> np.ndarray:
    import cv2

    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=interp if interp is not None else cv2.INTER_LINEAR, borderValue=255)


def skew_angle(gray: np.ndarray) -> float:
    """The angle (degrees, counter-clockwise) that turns the page straight, by the sharpest row projection."""
    import cv2

    h, w = gray.shape
    scale = 700.0 / w if w > 700 else 1.0
    small = cv2.resize(gray, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)

    def sharpness(a: float) -> float:
        rot = _rotate(255 - ink, a, cv2.INTER_LINEAR)
        prof = (255 - rot).sum(axis=1, dtype=np.float64)
        return float(np.var(prof))  # straight lines of print: a peaky row profile

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5), key=sharpness)
    fine = max(np.arange(best - 0.5, best + 0.51, 0.05), key=sharpness)
    return float(round(fine, 2))


def deskew(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """The page turned straight, and the angle it was turned by."""
    import cv2

    a = skew_angle(gray)
    if abs(a) < 0.1:
        return gray, 0.0
    return _rotate(gray, a, cv2.INTER_CUBIC), a


def turn(gray: np.ndarray, quarter_turns: int) -> np.ndarray:
    """The page turned by multiples of 90° counter-clockwise."""
    return np.ascontiguousarray(np.rot90(gray, quarter_turns % 4))


def clean(rgb: np.ndarray) -> Cleaned:
    """Grey, even light, the sheet cut out of a photograph, skew removed."""
    gray = to_gray(rgb)
    notes: list[str] = []
    dewarped = False
    quad = page_quad(gray)
    if quad is not None:
        gray = dewarp(gray, quad)
        dewarped = True
        notes.append("透视校正 (perspective corrected)")
    gray = even_light(gray)
    gray, angle = deskew(gray)
    if angle:
        notes.append(f"纠偏 {angle:+.2f}° (deskewed)")
    return Cleaned(gray=gray, skew=angle, dewarped=dewarped, notes=notes)


__all__ = [
    "A4_WIDTH_PT",
    "RENDER_DPI",
    "Cleaned",
    "clean",
    "deskew",
    "dewarp",
    "even_light",
    "open_images",
    "page_quad",
    "render_pdf_page",
    "skew_angle",
    "to_gray",
    "turn",
]
