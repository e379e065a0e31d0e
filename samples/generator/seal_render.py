"""Official seals (公章) and handwriting, rendered as ink layers to be stamped onto a page.

A seal is drawn as an alpha mask (ring, five-pointed star, ring text along the upper arc with each
glyph turned tangentially, an optional line under the star and code digits along the lower arc),
then inked: uneven alpha from a low-frequency field, speckle drop-outs, optional fading, a slight
spread. Stamping multiplies the ink into the page, so text under a seal stays visible as it does
on paper. Every seal carries its outline polygon so the caller can follow it through skew,
rotation and perspective and report a truthful bounding box.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

from samples.generator.layouts import font

RED_INKS = ((214, 30, 38), (200, 22, 45), (226, 62, 48), (186, 26, 52), (230, 45, 40), (205, 40, 60))
GREY_INK = (95, 95, 98)


@dataclass(frozen=True)
class SealStyle:
    """How one seal looks. Sizes in pixels at 200 dpi (42 mm ~ 330 px)."""

    shape: str  # round | oval | square
    text: str
    sub_text: str | None = None
    code: str | None = None
    width: int = 330
    height: int = 330
    font: str = "song_bold"
    double_ring: bool = False
    star: bool = True
    inverse: bool = False  # square name seals cut in 阴文 (white characters on red)
    color: tuple[int, int, int] = RED_INKS[0]
    strength: float = 0.9  # overall ink density 0..1
    rotation: float = 0.0  # degrees, clockwise
    crisp: bool = False  # an electronic seal (image in a born-digital file): even ink, no drop-outs


@dataclass
class InkLayer:
    """An RGBA-like ink layer: colour per pixel and alpha, plus an outline in layer pixels."""

    color: np.ndarray  # (h, w, 3) uint8
    alpha: np.ndarray  # (h, w) float32 0..1
    outline: np.ndarray  # (n, 2) float32, x/y in layer pixels

    @property
    def size(self) -> tuple[int, int]:
        """Layer size (w, h)."""
        return self.alpha.shape[1], self.alpha.shape[0]

    def to_pil(self) -> Image.Image:
        """The layer as an RGBA image (for PDFs and DOCX pictures)."""
        rgba = np.dstack([self.color, np.clip(self.alpha * 255, 0, 255).astype(np.uint8)])
        return Image.fromarray(rgba, "RGBA")


# ---------------------------------------------------------------- glyph helpers


def _glyph(ch: str, fkey: str, size: int, squeeze: float) -> Image.Image:
    pad = int(size * 0.4)
    im = Image.new("L", (size + 2 * pad, size + 2 * pad), 0)
    ImageDraw.Draw(im).text((im.width / 2, im.height / 2), ch, font=font(fkey, size), fill=255, anchor="mm")
    if squeeze != 1.0:
        im = im.resize((max(1, int(im.width * squeeze)), im.height), Image.BICUBIC)
    return im


def _paste_max(mask: Image.Image, glyph: Image.Image, cx: float, cy: float) -> None:
    x, y = int(round(cx - glyph.width / 2)), int(round(cy - glyph.height / 2))
    region = mask.crop((x, y, x + glyph.width, y + glyph.height))
    mask.paste(Image.fromarray(np.maximum(np.asarray(region), np.asarray(glyph))), (x, y))


def _ellipse_arc(a: float, b: float, n: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """Points on an ellipse parametrised clockwise from the top; returns (angles, cumulative length)."""
    t = np.linspace(-math.pi, math.pi, n)
    x, y = a * np.sin(t), -b * np.cos(t)
    seg = np.hypot(np.diff(x), np.diff(y))
    return t, np.concatenate([[0.0], np.cumsum(seg)])


def _text_on_arc(
    mask: Image.Image,
    text: str,
    cx: float,
    cy: float,
    a: float,
    b: float,
    span: float,
    size: int,
    fkey: str,
    squeeze: float,
    bottom: bool = False,
) -> None:
    """Place glyphs evenly (by arc length) on the ellipse (a, b) around its top or bottom over `span` radians.

    Top text reads left to right with glyph tops pointing outwards; bottom text (code digits) reads
    left to right with glyph tops pointing to the centre, as on real seals.
    """
    t_mid = math.pi if bottom else 0.0
    t = np.linspace(t_mid - math.pi, t_mid + math.pi, 2000)
    x, y = a * np.sin(t), -b * np.cos(t)
    cum = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))])
    s_mid = float(np.interp(t_mid, t, cum))
    s_half = float(np.interp(t_mid + span / 2, t, cum)) - s_mid
    n = len(text)
    for i, ch in enumerate(text):
        frac = 0.5 if n == 1 else i / (n - 1)
        s = s_mid - s_half + 2 * s_half * frac if not bottom else s_mid + s_half - 2 * s_half * frac
        ti = float(np.interp(s, cum, t))
        px, py = cx + a * math.sin(ti), cy - b * math.cos(ti)
        nx, ny = math.sin(ti) / a, -math.cos(ti) / b  # outward normal direction
        ang = math.degrees(math.atan2(nx, -ny))  # clockwise rotation that turns "up" into the normal
        g = _glyph(ch, fkey, size, squeeze)
        g = g.rotate(-ang if not bottom else -(ang - 180), resample=Image.BICUBIC, expand=True)
        _paste_max(mask, g, px, py)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    pts = []
    for k in range(10):
        rr = r if k % 2 == 0 else r * 0.382
        ang = -math.pi / 2 + k * math.pi / 5
        pts.append((cx + rr * math.cos(ang), cy + rr * math.sin(ang)))
    draw.polygon(pts, fill=255)


# ---------------------------------------------------------------- masks


def _round_or_oval_mask(st: SealStyle) -> tuple[Image.Image, np.ndarray]:
    w, h = st.width, st.height
    pad = 12
    mask = Image.new("L", (w + 2 * pad, h + 2 * pad), 0)
    d = ImageDraw.Draw(mask)
    cx, cy = mask.width / 2, mask.height / 2
    a, b = w / 2, h / 2
    ring = max(5, round(min(w, h) * 0.03))
    d.ellipse((cx - a, cy - b, cx + a, cy + b), outline=255, width=ring)
    inner = ring
    if st.double_ring:
        gap = ring + 5
        d.ellipse((cx - a + gap, cy - b + gap, cx + a - gap, cy + b - gap), outline=255, width=2)
        inner = gap + 2
    minor = min(a, b)
    n = max(1, len(st.text))
    oval = st.shape == "oval"
    if oval:
        size = int(min(minor * 0.36, 2 * math.pi * minor * 0.9 / n))
        span = min(math.radians(250), math.radians(16) * n + math.radians(60))
    else:
        span = min(math.radians(252), math.radians(18.5) * n + math.radians(20))
        r_text = minor - inner - minor * 0.17
        size = int(min(minor * 0.36, r_text * span / n * 1.12))
    size = max(size, 14)
    inset = inner + size * 0.62 + 3
    _text_on_arc(mask, st.text, cx, cy, a - inset, b - inset, span, size, st.font, 0.78)
    if st.star:
        _star(d, cx, cy - (0 if not oval else minor * 0.12), minor * (0.3 if not oval else 0.26))
    if st.sub_text:
        ss = int(minor * (0.15 if len(st.sub_text) <= 7 else 0.12))
        sy = cy + minor * (0.5 if not oval else 0.42)
        if not st.star:
            sy = cy + minor * 0.05
        tw = len(st.sub_text) * ss * 0.8
        x = cx - tw / 2 + ss * 0.4
        for ch in st.sub_text:
            _paste_max(mask, _glyph(ch, st.font, ss, 0.8), x, sy)
            x += ss * 0.8
    if st.code:
        cs = max(12, int(minor * 0.085))
        cspan = math.radians(6.2) * len(st.code) * (minor / 165) ** -0.2
        _text_on_arc(
            mask,
            st.code,
            cx,
            cy,
            a - inner - cs * 0.9,
            b - inner - cs * 0.9,
            cspan,
            cs,
            "hei",
            0.75,
            bottom=True,
        )
    tt = np.linspace(0, 2 * math.pi, 72, endpoint=False)
    outline = np.stack([cx + a * np.sin(tt), cy - b * np.cos(tt)], axis=1).astype(np.float32)
    return mask, outline


def _square_mask(st: SealStyle) -> tuple[Image.Image, np.ndarray]:
    s = st.width
    pad = 10
    mask = Image.new("L", (s + 2 * pad, s + 2 * pad), 0)
    d = ImageDraw.Draw(mask)
    frame = max(5, s // 16)
    if st.inverse:
        d.rectangle((pad, pad, pad + s, pad + s), fill=255)
    else:
        d.rectangle((pad, pad, pad + s, pad + s), outline=255, width=frame)
    chars = list(st.text)
    if len(chars) == 2:
        chars = [chars[0], chars[1], "之", "印"]
    elif len(chars) == 3:
        chars = chars + ["印"]
    chars = chars[:4]
    cell = (s - 2 * frame) / 2
    gs = int(cell * 0.98)
    # traditional order: right column top-down, then left column
    spots = [(1, 0), (1, 1), (0, 0), (0, 1)]
    for ch, (col, row) in zip(chars, spots, strict=False):
        g = _glyph(ch, st.font, gs, 1.0)
        cx = pad + frame + cell * (col + 0.5)
        cy = pad + frame + cell * (row + 0.5)
        if st.inverse:
            region_box = (int(cx - g.width / 2), int(cy - g.height / 2))
            sub = mask.crop((region_box[0], region_box[1], region_box[0] + g.width, region_box[1] + g.height))
            mask.paste(Image.fromarray(np.minimum(np.asarray(sub), 255 - np.asarray(g))), region_box)
        else:
            _paste_max(mask, g, cx, cy)
    outline = np.array([[pad, pad], [pad + s, pad], [pad + s, pad + s], [pad, pad + s]], np.float32)
    # densify so transformed boxes stay tight
    dense = []
    for i in range(4):
        p, q = outline[i], outline[(i + 1) % 4]
        for f in np.linspace(0, 1, 10, endpoint=False):
            dense.append(p + (q - p) * f)
    return mask, np.array(dense, np.float32)


def _ink(
    mask: np.ndarray,
    color: tuple[int, int, int],
    strength: float,
    rng: np.random.Generator,
    crisp: bool = False,
) -> InkLayer:
    h, w = mask.shape
    m = mask.astype(np.float32) / 255.0
    m = cv2.GaussianBlur(m, (0, 0), 0.8)
    low = rng.random((6, 6)).astype(np.float32)
    low = cv2.resize(low, (w, h), interpolation=cv2.INTER_CUBIC)
    tex = np.clip(0.55 + 0.6 * low, 0.25, 1.05)
    speck = rng.random((max(1, h // 3), max(1, w // 3))).astype(np.float32)
    speck = cv2.resize(speck, (w, h), interpolation=cv2.INTER_LINEAR)
    drop = np.where(speck < 0.08 + 0.25 * (1 - strength), 0.35, 1.0).astype(np.float32)
    if crisp:
        tex, drop, strength = np.float32(0.95), np.float32(1.0), max(strength, 0.92)
    alpha = np.clip(m * tex * drop * strength * 1.15, 0, 1)
    col = np.empty((h, w, 3), np.uint8)
    col[:] = color
    return InkLayer(col, alpha.astype(np.float32), np.zeros((0, 2), np.float32))


def _rotate_layer(layer: InkLayer, outline: np.ndarray, deg: float) -> InkLayer:
    h, w = layer.alpha.shape
    if abs(deg) < 0.01:
        layer.outline = outline
        return layer
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -deg, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos) + 2, int(h * cos + w * sin) + 2
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    alpha = cv2.warpAffine(layer.alpha, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=0)
    col = np.empty((nh, nw, 3), np.uint8)
    col[:] = layer.color[0, 0]
    pts = np.hstack([outline, np.ones((len(outline), 1), np.float32)]) @ m.T
    return InkLayer(col, alpha, pts.astype(np.float32))


def render_seal(st: SealStyle, rng: np.random.Generator) -> InkLayer:
    """Render one seal as an ink layer (colour, alpha, outline)."""
    if st.shape == "square":
        mask, outline = _square_mask(st)
    else:
        mask, outline = _round_or_oval_mask(st)
    layer = _ink(np.asarray(mask), st.color, st.strength, rng, st.crisp)
    return _rotate_layer(layer, outline, st.rotation)


def render_handwriting(
    text: str, size: int, color: tuple[int, int, int], rng: np.random.Generator, slant: float = 0.0
) -> InkLayer:
    """Pen writing (Kai face, jittered glyphs) such as 与原件核对一致 or a signature."""
    n = len(text)
    w, h = int(size * (n * 0.95 + 1.5)), int(size * 1.9)
    mask = Image.new("L", (w, h), 0)
    x = size * 0.6
    for ch in text:
        g = _glyph(ch, "kai", int(size * rng.uniform(0.9, 1.08)), rng.uniform(0.88, 1.02))
        g = g.rotate(float(rng.uniform(-7, 7)), resample=Image.BICUBIC, expand=True)
        _paste_max(mask, g, x + g.width * 0.0, h / 2 + rng.uniform(-size * 0.08, size * 0.08))
        x += size * rng.uniform(0.82, 0.98)
    arr = np.asarray(mask).astype(np.float32) / 255.0
    arr = cv2.dilate(arr, np.ones((2, 2), np.uint8)) if size > 40 else arr
    col = np.empty((h, w, 3), np.uint8)
    col[:] = color
    layer = InkLayer(col, np.clip(arr * 0.95, 0, 1).astype(np.float32), np.zeros((0, 2), np.float32))
    box = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    return _rotate_layer(layer, box, slant)


def stamp(page: np.ndarray, layer: InkLayer, x: float, y: float) -> np.ndarray:
    """Multiply the ink into `page` (H, W, 3 uint8) with its top-left at (x, y).

    Returns the seal outline in page pixels.

    Parts of the layer outside the page are simply lost, as with a seal that hangs over the edge.
    """
    H, W = page.shape[:2]
    lh, lw = layer.alpha.shape
    xi, yi = int(round(x)), int(round(y))
    x0, y0 = max(0, xi), max(0, yi)
    x1, y1 = min(W, xi + lw), min(H, yi + lh)
    if x1 > x0 and y1 > y0:
        a = layer.alpha[y0 - yi : y1 - yi, x0 - xi : x1 - xi, None]
        c = layer.color[y0 - yi : y1 - yi, x0 - xi : x1 - xi].astype(np.float32) / 255.0
        reg = page[y0:y1, x0:x1].astype(np.float32)
        page[y0:y1, x0:x1] = np.clip(reg * (1.0 - a * (1.0 - c)), 0, 255).astype(np.uint8)
    return layer.outline + np.array([xi, yi], np.float32)
