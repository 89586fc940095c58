"""Scans from text-layer PDFs, for OCR fixtures: rasterise, then degrade like a scanner, a copier or a phone.

``rasterise`` renders PDF pages with pypdfium2; ``degrade`` turns a page by a small angle and adds
noise, blur and JPEG loss (levels ``clean`` / ``light`` / ``heavy`` / ``copy``); ``seal`` stamps a red
round seal; ``photograph`` puts the page on a desk in perspective under uneven light. Writers save
image-only PDFs (JPEG inside), PNG/JPEG and (multi-page) TIFF. All randomness comes from ``seed``.
"""

from __future__ import annotations

import io
import math
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

LEVELS: dict[str, dict[str, float]] = {
    # angle: max |rotation| in degrees; noise: grey-level sigma; blur: radius px; quality: JPEG
    "clean": {"angle": 0.0, "noise": 0.0, "blur": 0.0, "quality": 90, "speckle": 0.0},
    "light": {"angle": 1.0, "noise": 6.0, "blur": 0.4, "quality": 70, "speckle": 0.0},
    "heavy": {"angle": 2.0, "noise": 14.0, "blur": 0.9, "quality": 40, "speckle": 0.0015},
    "copy": {"angle": 1.5, "noise": 8.0, "blur": 0.6, "quality": 95, "speckle": 0.003},  # binarised photocopy
}


def rasterise(pdf: str | Path | bytes, pages: list[int] | None = None, dpi: int = 200) -> list[Image.Image]:
    """Render PDF pages (1-based; all by default) to RGB images."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        numbers = pages or list(range(1, len(doc) + 1))
        out = []
        for n in numbers:
            page = doc[n - 1]
            out.append(page.render(scale=dpi / 72).to_pil().convert("RGB"))
            page.close()
        return out
    finally:
        doc.close()


def degrade(img: Image.Image, level: str, seed: int) -> Image.Image:
    """A scanned-looking copy of a clean page image (rotation, noise, blur, speckles, JPEG)."""
    p = LEVELS[level]
    rng = random.Random(seed)
    out = img.convert("L")
    if p["angle"]:
        angle = rng.uniform(0.4, 1.0) * p["angle"] * rng.choice((-1, 1))
        out = out.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    if p["blur"]:
        out = out.filter(ImageFilter.GaussianBlur(p["blur"]))
    a = np.asarray(out).astype(np.float32)
    nrng = np.random.default_rng(seed)
    if p["noise"]:
        a += nrng.normal(0, p["noise"], a.shape)
    if p["speckle"]:
        mask = nrng.random(a.shape) < p["speckle"]
        a[mask] = nrng.uniform(0, 120, int(mask.sum()))
    if level == "copy":
        a = np.where(a < 150, 0, 255)  # a copier's hard black and white
    a = np.clip(a, 0, 255).astype(np.uint8)
    out = Image.fromarray(a, "L")
    if level != "copy":
        buf = io.BytesIO()
        out.save(buf, "JPEG", quality=int(p["quality"]))
        out = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    return out


def degrade_colour(img: Image.Image, level: str, seed: int) -> Image.Image:
    """Like ``degrade`` but keeping colour (a colour scan of a stamped page)."""
    p = LEVELS[level]
    rng = random.Random(seed)
    out = img.convert("RGB")
    if p["angle"]:
        angle = rng.uniform(0.4, 1.0) * p["angle"] * rng.choice((-1, 1))
        out = out.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=(255, 255, 255))
    if p["blur"]:
        out = out.filter(ImageFilter.GaussianBlur(p["blur"]))
    a = np.asarray(out).astype(np.float32)
    if p["noise"]:
        a += np.random.default_rng(seed).normal(0, p["noise"], a.shape[:2])[:, :, None]
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=int(p["quality"]))
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def seal(img: Image.Image, centre: tuple[float, float], radius: float, text: str = "白沙区财政局", seed: int = 0) -> Image.Image:
    """The page with a red round seal (ring, star, agency name) multiplied over it at ``centre`` (pixels)."""
    rng = random.Random(seed)
    size = int(radius * 2 + 8)
    layer = Image.new("L", (size, size), 0)  # ink density
    d = ImageDraw.Draw(layer)
    c = size / 2
    w = max(3, int(radius * 0.06))
    d.ellipse((c - radius, c - radius, c + radius, c + radius), outline=255, width=w)
    star = []
    for k in range(10):
        r = radius * (0.28 if k % 2 == 0 else 0.11)
        a = -math.pi / 2 + k * math.pi / 5
        star.append((c + r * math.cos(a), c + r * math.sin(a)))
    d.polygon(star, fill=255)
    font = ImageFont.truetype(FONT_PATH, int(radius * 0.26))
    chars = list(text)
    span = math.radians(220)
    for i, ch in enumerate(chars):
        a = math.pi + (math.pi - span) / 2 + span * (i + 0.5) / len(chars)  # along the top arc
        x, y = c + radius * 0.72 * math.cos(a), c + radius * 0.72 * math.sin(a)
        glyph = Image.new("L", (int(radius * 0.4), int(radius * 0.4)), 0)
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, fill=255, font=font, anchor="mm")
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
        layer.paste(glyph, (int(x - glyph.width / 2), int(y - glyph.height / 2)), glyph)
    # uneven ink: a stamp never prints solid
    dens = np.asarray(layer).astype(np.float32) / 255.0
    dens *= np.random.default_rng(seed).uniform(0.55, 0.95, dens.shape)
    dens = np.asarray(Image.fromarray((dens * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.0))).astype(np.float32) / 255.0
    base = np.asarray(img.convert("RGB")).astype(np.float32)
    x0, y0 = int(centre[0] - size / 2), int(centre[1] - size / 2)
    red = np.array([215.0, 30.0, 40.0])
    ys = slice(max(0, y0), min(base.shape[0], y0 + size))
    xs = slice(max(0, x0), min(base.shape[1], x0 + size))
    dd = dens[ys.start - y0 : ys.stop - y0, xs.start - x0 : xs.stop - x0, None]
    base[ys, xs] = base[ys, xs] * (1 - dd) + (base[ys, xs] * red / 255.0) * dd  # multiply: print stays dark
    _ = rng
    return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")


def photograph(img: Image.Image, seed: int, tilt: float = 0.06) -> Image.Image:
    """The page photographed on a desk: perspective, uneven warm light, a little blur and JPEG."""
    import cv2

    rng = random.Random(seed)
    page = np.asarray(img.convert("RGB")).astype(np.float32)
    h, w = page.shape[:2]
    W, H = int(w * 1.18), int(h * 1.12)
    desk = np.full((H, W, 3), (70, 62, 55), np.float32)
    dx, dy = (W - w) / 2, (H - h) / 2

    def jitter(x: float, y: float) -> list[float]:
        return [x + rng.uniform(-tilt, tilt) * w, y + rng.uniform(-tilt, tilt) * h * 0.5]

    src = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    dst = np.array([jitter(dx, dy), jitter(dx + w, dy), jitter(dx + w, dy + h), jitter(dx, dy + h)], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(page, m, (W, H), flags=cv2.INTER_LINEAR, borderValue=(-1, -1, -1))
    mask = warped[:, :, 0] >= 0
    out = np.where(mask[:, :, None], warped, desk)
    # light from one corner, a warm cast
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    lx, ly = rng.uniform(0, W), rng.uniform(0, H * 0.3)
    dist = np.sqrt((xx - lx) ** 2 + (yy - ly) ** 2) / math.hypot(W, H)
    light = 1.0 - 0.45 * dist
    out = out * light[:, :, None] * np.array([1.0, 0.96, 0.88])
    out += np.random.default_rng(seed).normal(0, 4, out.shape)
    pic = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB").filter(ImageFilter.GaussianBlur(0.6))
    buf = io.BytesIO()
    pic.save(buf, "JPEG", quality=75)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def save_pdf(images: list[Image.Image], path: str | Path, dpi: int, quality: int = 60) -> None:
    """An image-only PDF: each image a page (JPEG inside), A4-sized at ``dpi``."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), invariant=1)
    for img in images:
        wpt, hpt = img.width * 72 / dpi, img.height * 72 / dpi
        c.setPageSize((wpt, hpt))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality)
        buf.seek(0)
        c.drawImage(ImageReader(buf), 0, 0, width=wpt, height=hpt)
        c.showPage()
    c.save()


def save_tiff(images: list[Image.Image], path: str | Path, dpi: int) -> None:
    """A (multi-page) TIFF; black-and-white pages are stored with CCITT G4, grey ones with deflate."""
    bw = all(img.mode == "1" or (img.mode == "L" and set(np.unique(np.asarray(img))) <= {0, 255}) for img in images)
    frames = [img.convert("1") if bw else img.convert("L") for img in images]
    frames[0].save(str(path), save_all=True, append_images=frames[1:], dpi=(dpi, dpi), compression="group4" if bw else "tiff_deflate")


def save_image(img: Image.Image, path: str | Path, dpi: int, quality: int = 70) -> None:
    """A PNG or JPEG by suffix, with its dpi recorded."""
    suffix = Path(path).suffix.lower()
    if suffix in (".jpg", ".jpeg"):
        img.convert("RGB").save(str(path), "JPEG", quality=quality, dpi=(dpi, dpi))
    else:
        img.save(str(path), "PNG", dpi=(dpi, dpi), optimize=True)


__all__ = ["LEVELS", "degrade", "degrade_colour", "photograph", "rasterise", "save_image", "save_pdf", "save_tiff", "seal"]
