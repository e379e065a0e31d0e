"""Body text under grey or black seals (photocopies, greyscale and 1-bit scans).

A red seal vanishes in the red channel (`extractors.ocr.drop_red_ink`); a grey one does not,
and the date and signing body printed under it come out lost or misread. What still tells the
two inks apart, and what this module uses:

- where the seal is: its outline is known from the seal finder, so only pixels inside it are
  touched (text elsewhere on the page stays exactly as the first OCR pass saw it);
- tone: stamp ink, even photocopied, prints lighter than toner text. The seal's own tone is
  measured on its border ring, the text's on the rows the first pass read away from any seal;
- on 1-bit scans the seal's grey became a dot pattern (error diffusion) while text is solid
  black: an opening removes the dots and keeps the strokes.

`clean_seal_area` returns the page with the seal's ink taken out; the caller OCRs the rows the
seal covers again and keeps, row by row, whichever reading is better.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from records.models import TextLine

RING_PCT = 10.0
TEXT_PCT = 5.0
SEED_AT = 0.5
GROW_ABOVE = 0.1
MIN_GAP = 0.05
GROW_STEPS = 4
KEEP_FACTOR = 1.0
CONF_SLACK = 0.04
OPEN_PX = 2
RECON_STEPS = 2
PIN_REACH = 1
MIN_BLOB = 12
ROW_MIN_INK = 0.25
ROW_HEIGHT = (0.6, 1.5)
ROW_JOIN = 0.25
ROW_PAD = 0.3
ROW_PART = 0.6
ROW_GAP = 2.5


@dataclass(frozen=True)
class SealArea:
    """Where a seal's ink can be: an axis-aligned ellipse in page pixels."""

    cx: float
    cy: float
    rx: float
    ry: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.cx - self.rx, self.cy - self.ry, self.cx + self.rx, self.cy + self.ry


def seal_area(bbox: list[float] | tuple[float, ...], shape: str, w: int, h: int) -> SealArea:
    """The ellipse of a seal from its (page-clipped) bounding box.

    A seal cut by the page edge has a clipped box: a round seal's diameter is then its longer
    side, and the centre lies that radius inside the uncut edge.
    """
    x0, y0, x1, y1 = (float(v) for v in bbox[:4])
    rx, ry = (x1 - x0) / 2, (y1 - y0) / 2
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    if shape == "round":
        r = max(rx, ry)
        if rx < r:
            cx = x1 - r if x0 <= 1 else (x0 + r if x1 >= w - 1 else cx)
        if ry < r:
            cy = y1 - r if y0 <= 1 else (y0 + r if y1 >= h - 1 else cy)
        rx = ry = r
    return SealArea(cx, cy, rx, ry)


def area_mask(area: SealArea, shape: tuple[int, int], grow: float = 1.04) -> np.ndarray:
    """Boolean mask of the seal's ellipse (slightly grown to take the border's outer edge)."""
    import cv2

    m = np.zeros(shape, np.uint8)
    cv2.ellipse(m, (round(area.cx), round(area.cy)), (max(1, round(area.rx * grow)), max(1, round(area.ry * grow))),
                0, 0, 360, 1, -1)
    return m.astype(bool)


def ring_tone(v: np.ndarray, area: SealArea) -> float | None:
    """The seal's darkest ink tone (paper-normalised, 0 black .. 1 paper), on its border ring.

    A low percentile of the ring's ink: the border is the seal's most solid stroke, and text
    crossing it is a small share of its length. None when too little of the ring is on the page.
    """
    t = np.linspace(0, 2 * math.pi, 720, endpoint=False)
    h, w = v.shape
    vals = []
    for k in (0.95, 0.965, 0.98):
        xs = np.round(area.cx + k * area.rx * np.sin(t)).astype(int)
        ys = np.round(area.cy - k * area.ry * np.cos(t)).astype(int)
        ok = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
        vals.append(v[ys[ok], xs[ok]])
    ring = np.concatenate(vals)
    ink = ring[ring < 0.85]
    if ink.size < 200:
        return None
    return float(np.percentile(ink, RING_PCT))


def text_tone(v: np.ndarray, lines: list[TextLine], avoid: np.ndarray) -> float | None:
    """Tone of the printed text's stroke cores, from the lines read away from any seal."""
    vals = []
    for ln in lines:
        if ln.bbox is None or ln.confidence < 0.8:
            continue
        x0, y0, x1, y1 = (int(round(c)) for c in ln.bbox)
        if x1 - x0 < 4 or y1 - y0 < 4 or avoid[y0:y1, x0:x1].any():
            continue
        cell = v[y0:y1, x0:x1]
        ink = cell[cell < 0.7]
        if ink.size >= 20:
            vals.append(ink)
        if sum(a.size for a in vals) > 200_000:
            break
    ink = np.concatenate(vals) if vals else np.zeros(0)
    if ink.size < 500:
        return None
    return float(np.percentile(ink, TEXT_PCT))


def is_bilevel(grey: np.ndarray) -> bool:
    """True for a 1-bit scan (black and white only, whatever the container stored).

    Any greyscale page has mid-tones: the soft edges of text and the seal's own ink.
    """
    sub = grey[::2, ::2]
    mid = np.count_nonzero((sub > 40) & (sub < 215))
    return mid < 0.001 * sub.size


def solid_ink(black: np.ndarray) -> np.ndarray:
    """Solid strokes of a 1-bit image, without the dot pattern a grey seal became.

    Error diffusion leaves single white pixels scattered through any grey, so the seal's ink
    holds few 2x2 blocks of black with black round them; printed strokes are solid. An opening
    by a 2x2 square keeps the strokes, then a reconstruction within the black pixels (two steps)
    gives back the stroke edges it nibbled.
    """
    import cv2

    b = black.astype(np.uint8)
    core = cv2.morphologyEx(b, cv2.MORPH_OPEN, np.ones((OPEN_PX, OPEN_PX), np.uint8))
    kept = core
    for _ in range(RECON_STEPS):
        kept = cv2.dilate(kept, np.ones((3, 3), np.uint8)) & b
    return kept.astype(bool)


def dot_pattern(black: np.ndarray, *, reach: int = PIN_REACH, min_blob: int = MIN_BLOB) -> np.ndarray:
    """Black pixels of a 1-bit image that belong to a dot pattern (a grey seal, error-diffused).

    Mid and dark grey leave pinholes, white pixels whose four neighbours are black; black within
    `reach` of one is the seal's. Light grey became loose dots: blobs under `min_blob` pixels.
    Printed strokes have neither, even 1 px thin ones, which an opening (`solid_ink`) would take
    for dots (measured: a 1-bit page at 200 dpi whose date under the seal an opening erased).
    Where a stroke runs through the seal's ink the two cannot be told apart and both go.
    """
    import cv2

    b = black.astype(np.uint8)
    four = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], np.uint8)
    pins = ((b == 0) & (cv2.filter2D(b, -1, four, borderType=cv2.BORDER_CONSTANT) >= 4)).astype(np.uint8)
    near = cv2.dilate(pins, np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)) > 0
    _, labels, stats, _ = cv2.connectedComponentsWithStats(b, connectivity=8)
    small = (stats[:, cv2.CC_STAT_AREA] < min_blob)[labels]
    return black & (near | small)


def text_under_seal(prepared: np.ndarray, v: np.ndarray, area: SealArea, *, text_level: float | None,
                    bilevel: bool) -> np.ndarray | None:
    """`prepared` with the seal's ink whitened inside its outline, for reading rows by their ink.

    On a 1-bit page the dot pattern goes (`dot_pattern`), elsewhere the seal's tone
    (`clean_seal_area`). None when the two inks cannot be told apart.
    """
    if not bilevel:
        return clean_seal_area(prepared, v, area, text_level=text_level, bilevel=False)
    inside = area_mask(area, v.shape)
    if not inside.any():
        return None
    out = prepared.copy()
    ys, xs = np.nonzero(inside)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    dots = dot_pattern(prepared[y0:y1, x0:x1] < 128)  # the seal's box only: a page costs 0.1 s
    out[y0:y1, x0:x1][inside[y0:y1, x0:x1] & dots] = 255
    return out


def glyph_height(page: np.ndarray, lines: list[TextLine], avoid: np.ndarray) -> float | None:
    """Height of the printed glyphs' ink, from the lines read surely away from any seal.

    A detector's box is roomier than its glyphs (about twice as tall on PP-OCRv6), and rows
    found by their ink are as tall as the ink.
    """
    heights = []
    for ln in lines:
        if ln.bbox is None or ln.confidence < 0.9 or len(ln.text) < 4:
            continue
        x0, y0, x1, y1 = (int(round(c)) for c in ln.bbox)
        if x1 - x0 < 4 or y1 - y0 < 4 or avoid[y0:y1, x0:x1].any():
            continue
        # The first glyphs only: along a long line a skew of 2 degrees adds more than a glyph.
        profile = (page[y0:y1, x0 : min(x1, x0 + 2 * (y1 - y0))] < 128).sum(axis=1)
        rows = np.flatnonzero(profile >= max(2, ROW_MIN_INK * int(profile.max())))
        if rows.size:
            heights.append(int(rows[-1] - rows[0] + 1))
        if len(heights) >= 40:
            break
    # A line's box often takes in strokes of the lines above and below: the lower quartile.
    return float(np.percentile(heights, 25)) if len(heights) >= 3 else None


def _runs(on: np.ndarray, join: float) -> list[list[int]]:
    """[start, end) of the runs of True in a row profile; runs closer than `join` pixels are one
    (a thin stroke's row dips between glyph parts)."""
    runs: list[list[int]] = []
    start = None
    for y, flag in enumerate([*on.tolist(), False]):
        if flag and start is None:
            start = y
        elif not flag and start is not None:
            if runs and start - runs[-1][1] <= join:
                runs[-1][1] = y
            else:
                runs.append([start, y])
            start = None
    return runs


def rows_by_ink(text: np.ndarray, area: SealArea, glyph: float) -> list[tuple[int, int, int, int]]:
    """Boxes of the text rows inside a seal, found by their ink (for rows the detector missed).

    `text` is the page with the seal's ink taken out, `glyph` the page's glyph height. Rows are
    runs of the horizontal ink profile across the seal (at least `ROW_MIN_INK` of its peak;
    runs split by less than `ROW_JOIN` glyphs are one row, two rows touching are cut at the
    profile's lowest point) of a glyph's height; each row reaches out from the seal along its
    ink until a gap of `ROW_GAP` glyphs, so a signing line that starts left of the seal is read
    whole.
    """
    h, w = text.shape[:2]
    x0, y0, x1, y1 = (int(round(c)) for c in area.box)
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    if x1 - x0 < 8 or y1 - y0 < 8 or glyph < 4:
        return []
    ink = text < 128
    profile = np.convolve(ink[y0:y1, x0:x1].sum(axis=1).astype(float), np.ones(3) / 3, mode="same")
    if profile.max() <= 0:
        return []
    runs = _runs(profile > max(2.0, ROW_MIN_INK * float(profile.max())), ROW_JOIN * glyph)
    rows = []
    for a, b in runs:
        if a == 0 or b >= len(profile):
            continue  # cut by the seal's box: a row above or below it, read by the first pass
        if b - a > 2 * ROW_HEIGHT[0] * glyph and b - a > ROW_HEIGHT[1] * glyph:
            third = (b - a) // 3
            cut = a + third + int(np.argmin(profile[a + third : b - third]))
            pieces = [(a, cut), (cut, b)]
        else:
            pieces = [(a, b)]
        rows.extend((y0 + p, y0 + q) for p, q in pieces if ROW_HEIGHT[0] * glyph <= q - p <= ROW_HEIGHT[1] * glyph)
    gap = ROW_GAP * glyph
    boxes = []
    for r0, r1 in rows:
        cols = ink[r0:r1].any(axis=0)
        inside = np.flatnonzero(cols[x0:x1])
        if inside.size == 0:
            continue
        left, right = x0 + int(inside[0]), x0 + int(inside[-1])
        while True:
            more = np.flatnonzero(cols[max(0, int(left - gap)) : left])
            if more.size == 0:
                break
            left = max(0, int(left - gap)) + int(more[0])
        while True:
            more = np.flatnonzero(cols[right + 1 : min(w, int(right + 1 + gap))])
            if more.size == 0:
                break
            right = right + 1 + int(more[-1])
        boxes.append((left, r0, right + 1, r1))
    return boxes


def uncovered_ink(page: np.ndarray, lines: list[TextLine], avoid: np.ndarray, glyph: float) -> np.ndarray:
    """The page's ink that no line's box covers, away from `avoid` (the seals), without rulings
    (straight strokes longer than three glyphs: a table's lines, an underline)."""
    import cv2

    ink = page < 128
    covered = avoid.copy()
    for ln in lines:
        if ln.bbox is not None:
            x0, y0, x1, y1 = (round(c) for c in ln.bbox)
            covered[max(0, y0) : y1, max(0, x0) : x1] = True
    free = (ink & ~covered).astype(np.uint8)
    k = max(3, int(3 * glyph))
    rulings = cv2.morphologyEx(free, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    rulings |= cv2.morphologyEx(free, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k)))
    rulings = cv2.dilate(rulings, np.ones((3, 3), np.uint8))  # with their ragged edges
    return free.astype(bool) & ~rulings.astype(bool)


def gap_bands(free: np.ndarray, glyph: float, *, min_width: float) -> list[tuple[int, int]]:
    """Bands of uncovered ink as tall as a row of print (`ROW_HEIGHT` glyphs, runs closer than
    `ROW_JOIN` glyphs joined) whose ink spans at least `min_width` glyphs of the page's width."""
    profile = np.convolve(free.sum(axis=1).astype(float), np.ones(3) / 3, mode="same")
    runs = _runs(profile > max(2.0, 0.5 * glyph), ROW_JOIN * glyph)
    bands = []
    for a, b in runs:
        if b - a < ROW_HEIGHT[0] * glyph:
            continue
        if free[a:b].any(axis=0).sum() >= min_width * glyph:
            bands.append((a, b))
    return bands


def in_row(ln: TextLine, box: tuple[float, float, float, float], slack: float = 0.0) -> bool:
    """The line's middle lies in the row's band (widened by `slack` each way: a detector's box is
    roomier than the ink, and a skewed line's middle is off its ink's) and it overlaps the row's
    columns."""
    if ln.bbox is None:
        return False
    return box[1] - slack <= _centre_y(ln) <= box[3] + slack and ln.bbox[0] < box[2] and ln.bbox[2] > box[0]


def row_lines(lines: list[TextLine], box: tuple[int, int, int, int], area: SealArea, slack: float = 0.0) -> list[TextLine]:
    """The lines of two glyphs or more at 0.5 that lie in the row where the seal crosses it.

    Any such line, even a partial reading (19年5月27日 of 2019年3月27日), means the row was read:
    a row read by its ink is no surer than the detector's line, and a line the seal's strokes
    lengthened (21048月27日) read more glyphs less truly. What lies beside the seal the first
    pass saw as it is.
    """
    lo, hi = area.box[0], area.box[2]
    return [ln for ln in lines if in_row(ln, box, slack) and ln.bbox is not None and ln.bbox[0] < hi and ln.bbox[2] > lo
            and ln.confidence >= 0.5 and len(ln.text.strip()) >= 2]


def covers(ln: TextLine, box: tuple[int, int, int, int], area: SealArea) -> float:
    """The share of the row, where the seal crosses it, that the line's box spans."""
    lo, hi = max(float(box[0]), area.box[0]), min(float(box[2]), area.box[2])
    if ln.bbox is None or hi <= lo:
        return 1.0
    return max(0.0, min(hi, ln.bbox[2]) - max(lo, ln.bbox[0])) / (hi - lo)


def clean_seal_area(
    prepared: np.ndarray, v: np.ndarray, area: SealArea, *, text_level: float | None, bilevel: bool
) -> np.ndarray | None:
    """`prepared` (the grey page the first OCR pass read) with the seal's ink whitened.

    Inside the seal's ellipse, pixels lighter than a threshold between the text's tone and the
    seal's ring tone go to paper white; text stays as it was. On a 1-bit page the dot pattern
    is removed instead. Returns None when the two inks cannot be told apart.
    """
    inside = area_mask(area, v.shape)
    if not inside.any():
        return None
    out = prepared.copy()
    if bilevel:
        black = prepared < 128
        keep = solid_ink(black)
        out[inside & black & ~keep] = 255
        return out
    seal = ring_tone(v, area)
    if seal is None or text_level is None or seal - text_level < MIN_GAP:
        return None
    keep = grow_within(v < text_level + SEED_AT * (seal - text_level), v < seal + GROW_ABOVE, steps=GROW_STEPS)
    out[inside & ~keep] = 255
    return out


def grow_within(seed: np.ndarray, allowed: np.ndarray, *, steps: int) -> np.ndarray:
    """`seed` grown by `steps` 8-connected pixels, never outside `allowed` (a geodesic dilation)."""
    import cv2

    kept = seed.astype(np.uint8)
    ok = allowed.astype(np.uint8)
    for _ in range(steps):
        kept = cv2.dilate(kept, np.ones((3, 3), np.uint8)) & ok
    return kept.astype(bool) | seed

def _centre_y(ln: TextLine) -> float:
    assert ln.bbox is not None
    return (ln.bbox[1] + ln.bbox[3]) / 2


def _in_ring_band(ln: TextLine, area: SealArea) -> bool:
    """The line's centre lies in the band of the seal's ring text (away from its middle)."""
    assert ln.bbox is not None
    dx = ((ln.bbox[0] + ln.bbox[2]) / 2 - area.cx) / max(area.rx, 1.0)
    dy = (_centre_y(ln) - area.cy) / max(area.ry, 1.0)
    return math.hypot(dx, dy) >= 0.5


def ring_pieces(lines: list[TextLine], area: SealArea, ring_text: str | None) -> list[bool]:
    """Which lines are pieces of the seal's own ring text (通达, 学校 of 吕梁市离石区通达职培学校):
    lines in its ring band, inside its box, whose glyphs the ring text holds in order, and no
    more than half of them (the signing body printed under the seal, named as the seal is, is
    a whole name on one straight line)."""
    from extractors.entities import is_subsequence

    ring = re.sub(r"\W", "", ring_text or "")
    x0, y0, x1, y1 = area.box
    out = []
    for ln in lines:
        glyphs = re.sub(r"\W", "", ln.text)
        out.append(bool(ring) and ln.bbox is not None and 0 < len(glyphs) <= len(ring) / 2
                   and x0 <= ln.bbox[0] and ln.bbox[2] <= x1 and y0 <= ln.bbox[1] and ln.bbox[3] <= y1
                   and _in_ring_band(ln, area) and is_subsequence(glyphs, ring))
    return out


def reading_order(ln: TextLine) -> tuple[int, float]:
    """Sort key of page lines in reading order: by 12-pixel band from the top, then from the left."""
    return (round((ln.bbox[1] if ln.bbox else 0) / 12.0), ln.bbox[0] if ln.bbox else 0)


def _rows(lines: list[TextLine]) -> list[list[TextLine]]:
    """Lines grouped into rows by their vertical extent."""
    rows: list[list[TextLine]] = []
    for ln in sorted(lines, key=_centre_y):
        assert ln.bbox is not None
        if rows:
            last = rows[-1]
            top = min(x.bbox[1] for x in last if x.bbox)
            bottom = max(x.bbox[3] for x in last if x.bbox)
            overlap = min(bottom, ln.bbox[3]) - max(top, ln.bbox[1])
            if overlap > 0.5 * min(bottom - top, ln.bbox[3] - ln.bbox[1]):
                last.append(ln)
                continue
        rows.append([ln])
    return rows


def _quality(lines: list[TextLine]) -> float:
    return sum(ln.confidence * len(ln.text) for ln in lines if ln.confidence >= 0.5)


def _mean_conf(lines: list[TextLine]) -> float:
    n = sum(len(ln.text) for ln in lines)
    return sum(ln.confidence * len(ln.text) for ln in lines) / n if n else 0.0


def _within(ln: TextLine, other: TextLine) -> bool:
    """`ln` lies mostly (its middle and most of its width) inside `other`'s box."""
    assert ln.bbox is not None and other.bbox is not None
    a, b = ln.bbox, other.bbox
    across = min(a[2], b[2]) - max(a[0], b[0])
    return b[1] <= _centre_y(ln) <= b[3] and across > 0.5 * (a[2] - a[0])


def merge_reread(
    old: list[TextLine],
    new: list[TextLine],
    area: SealArea,
    *,
    seal_only: list[bool] | None = None,
    keep_factor: float = KEEP_FACTOR,
) -> list[TextLine]:
    """Page lines with the rows crossing a seal taken from the reread where it reads better.

    `old` are all the page's lines from the first pass, `new` the reread of the seal's band
    (same page coordinates). Only lines crossing the seal are compared, and old lines beside it
    that a reread line takes in; rows are matched by vertical overlap. An old line flagged in `seal_only` had no ink left once the seal was
    taken out: it was the seal's own ring text, not body text, and is dropped. A row's reread
    wins when its quality (confident characters) is at least `keep_factor` of the old one's and
    its mean confidence per character is not lower (by more than `CONF_SLACK`): a reread that
    reads more characters less surely is noise of the cleaning.
    """
    flags = seal_only or [False] * len(old)
    kept = [ln for ln, f in zip(old, flags, strict=True) if not (f and in_row(ln, area.box) and _in_ring_band(ln, area))]
    cand_new = [ln for ln in new if in_row(ln, area.box)]
    # An old line beside the seal that a reread line takes in (联系电话：035 cut short at the
    # seal's edge, read whole again) is part of its row, not a line of its own.
    in_play = [in_row(ln, area.box) or any(_within(ln, n) for n in cand_new) for ln in kept]
    cand_old = [ln for ln, f in zip(kept, in_play, strict=True) if f]
    result = [ln for ln, f in zip(kept, in_play, strict=True) if not f]
    new_ids = {id(ln) for ln in cand_new}
    for row in _rows(cand_old + cand_new):
        r_new = [ln for ln in row if id(ln) in new_ids]
        r_old = [ln for ln in row if id(ln) not in new_ids]
        if r_new and _quality(r_new) >= keep_factor * _quality(r_old) and _mean_conf(r_new) >= _mean_conf(r_old) - CONF_SLACK:
            result.extend(r_new)
        else:
            result.extend(r_old)
    result.sort(key=reading_order)
    return result


def ink_gone(before: np.ndarray, after: np.ndarray, bbox: list[float] | tuple[float, ...], share: float = 0.15) -> bool:
    """True when cleaning left less than `share` of the dark pixels in a line's box."""
    x0, y0, x1, y1 = (int(round(c)) for c in bbox[:4])
    n0 = int(np.count_nonzero(before[y0:y1, x0:x1] < 128))
    if n0 == 0:
        return False
    return int(np.count_nonzero(after[y0:y1, x0:x1] < 128)) < share * n0
