"""A small page-layout engine: blocks (paragraphs, tables, signature blocks) -> positioned draw ops.

The same ops are rasterised with Pillow (for scans and photos) or written as real PDF text with
reportlab (for born-digital PDFs with a text layer), so both carry identical wording and geometry.
Units are pixels of an A4 page at 200 dpi (1654 x 2339); y grows downwards; text is placed on its
baseline.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

DPI = 200
PAGE_W, PAGE_H = 1654, 2339
MM = DPI / 25.4
INK = (18, 18, 22)
RED = (205, 22, 28)

FONT_FILES: dict[str, tuple[str, int]] = {
    # key: (path, index in the collection)
    "song": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    "song_bold": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
    "hei": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    "hei_bold": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    "ming": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "kai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    "zenhei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
}
# Fonts reportlab can embed (TrueType outlines); the Noto CJK collections are CFF and cannot.
PDF_FONTS = ("ming", "kai", "zenhei")


@functools.lru_cache(maxsize=256)
def font(key: str, size: int) -> ImageFont.FreeTypeFont:
    """The Pillow font for a face key and a pixel size (cached)."""
    path, index = FONT_FILES[key]
    return ImageFont.truetype(path, size, index=index)


@functools.lru_cache(maxsize=65536)
def char_width(key: str, size: int, ch: str) -> float:
    """Advance width of one character in pixels (cached)."""
    return font(key, size).getlength(ch)


def text_width(key: str, size: int, text: str) -> float:
    """Advance width of a string in pixels."""
    return sum(char_width(key, size, c) for c in text)


# ---------------------------------------------------------------- blocks

Align = Literal["left", "center", "right"]


@dataclass
class Para:
    """A paragraph. `role` picks the face from the document's FontSet; `kind` is for DOCX styles."""

    text: str
    role: str = "body"
    size: int = 42
    align: Align = "left"
    indent: float = 2.0  # first-line indent in characters
    color: tuple[int, int, int] = INK
    before: float = 0.0
    after: float = 0.0
    spacing: float | None = None  # line height / size; None = document default
    anchor: str | None = None
    kind: str = "body"  # body | title | heading | redhead | docno | addressee | signature | note
    right_pad: float = 0.0  # for right-aligned lines: distance from the right margin, in characters


@dataclass
class Rule:
    """A horizontal rule, e.g. the red line under a 文件 head."""

    color: tuple[int, int, int] = RED
    width: int = 4
    before: float = 10.0
    after: float = 40.0
    double: bool = False


@dataclass
class Table:
    """A ruled table; label columns are centred, long cells wrap."""

    rows: list[list[str]]
    widths: list[float]  # fractions of the text width
    size: int = 36
    role: str = "body"
    header: bool = False
    label_cols: tuple[int, ...] = ()  # centred, label-like columns
    min_row: float = 2.2  # minimum row height in line heights
    before: float = 10.0
    after: float = 20.0
    cell_anchors: dict[tuple[int, int], str] = field(default_factory=dict)
    tall_rows: dict[int, float] = field(default_factory=dict)  # row index -> min height in px
    center_values: bool = False  # centre every cell (some forms do), else only label columns and the header


@dataclass
class Spacer:
    """Vertical space in pixels."""

    h: float


@dataclass
class PageBreak:
    """Start a new page."""

    pass


Block = Para | Rule | Table | Spacer | PageBreak


@dataclass
class FontSet:
    """Which face each text role uses (keys of FONT_FILES)."""

    body: str = "song"
    heading: str = "hei"
    title: str = "song_bold"
    redhead: str = "song_bold"
    table: str = "song"

    def get(self, role: str) -> str:
        """Face key for a role; an unknown role is taken as a face key itself."""
        return getattr(self, role) if hasattr(self, role) else role


# ---------------------------------------------------------------- ops and pages


@dataclass
class TextOp:
    """Draw one line of text with its baseline at y."""

    x: float
    y: float  # baseline
    font: str
    size: int
    text: str
    color: tuple[int, int, int]


@dataclass
class LineOp:
    """Draw a straight line."""

    x0: float
    y0: float
    x1: float
    y1: float
    width: float
    color: tuple[int, int, int]


Op = TextOp | LineOp


@dataclass
class PageLayout:
    """The ops of one page plus named anchor boxes (signature, principal ...)."""

    width: int = PAGE_W
    height: int = PAGE_H
    ops: list[Op] = field(default_factory=list)
    anchors: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    content_bottom: float = 0.0


@dataclass
class Geometry:
    """Page margins (pixels), line spacing and page numbering."""

    left: float = 28 * MM
    right: float = 26 * MM
    top: float = 37 * MM
    bottom: float = 35 * MM
    spacing: float = 1.7
    page_numbers: bool = True


# ---------------------------------------------------------------- line breaking

_NO_START = set("，。、；：？！）》」』】〕”’%．,.;:!?)")
_NO_END = set("（《「『【〔“‘(")


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    buf = ""
    for ch in text:
        if ch.isascii() and (ch.isalnum() or ch in ".-:/_%"):
            buf += ch
            continue
        if buf:
            out.append(buf)
            buf = ""
        out.append(ch)
    if buf:
        out.append(buf)
    return out


def wrap(text: str, fkey: str, size: int, width: float, first_indent: float = 0.0) -> list[tuple[float, str]]:
    """Break `text` into lines no wider than `width`; return (x offset, line) pairs.

    Chinese rules kept: no closing punctuation at a line start (it hangs instead), no opening
    bracket at a line end, ASCII numbers never split.
    """
    lines: list[tuple[float, str]] = []
    cur = ""
    cur_w = 0.0
    offset = first_indent
    for tok in _tokens(text):
        w = text_width(fkey, size, tok)
        if cur and offset + cur_w + w > width and tok not in _NO_START:
            carry = ""
            if cur[-1] in _NO_END:
                carry, cur = cur[-1], cur[:-1]
            lines.append((offset, cur))
            offset = 0.0
            cur, cur_w = carry, text_width(fkey, size, carry)
        cur += tok
        cur_w += w
    if cur or not lines:
        lines.append((offset, cur))
    return lines


# ---------------------------------------------------------------- pagination


class _Flow:
    def __init__(self, geo: Geometry, fonts: FontSet) -> None:
        self.geo = geo
        self.fonts = fonts
        self.pages: list[PageLayout] = []
        self.x0 = geo.left
        self.x1 = PAGE_W - geo.right
        self.width = self.x1 - self.x0
        self.new_page()

    @property
    def page(self) -> PageLayout:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(PageLayout())
        self.y = self.geo.top

    def room(self, h: float) -> bool:
        return self.y + h <= PAGE_H - self.geo.bottom

    def ensure(self, h: float) -> None:
        if not self.room(h) and self.y > self.geo.top + 1:
            self.new_page()

    def anchor(self, name: str | None, box: tuple[float, float, float, float]) -> None:
        if name:
            self.page.anchors[name] = box

    # -- blocks
    def para(self, b: Para) -> None:
        fkey = self.fonts.get(b.role)
        lh = b.size * (b.spacing or self.geo.spacing)
        self.y += b.before
        avail = self.width - b.right_pad * b.size
        lines = wrap(b.text, fkey, b.size, avail, b.indent * b.size)
        first_page = len(self.pages)
        top = None
        xs: list[float] = []
        for off, line in lines:
            self.ensure(lh)
            if top is None or len(self.pages) != first_page:
                top, first_page = self.y, len(self.pages)
            w = text_width(fkey, b.size, line)
            if b.align == "center":
                x = self.x0 + (avail - w) / 2
            elif b.align == "right":
                x = self.x0 + avail - w
            else:
                x = self.x0 + off
            base = self.y + lh / 2 + b.size * 0.36
            self.page.ops.append(TextOp(x, base, fkey, b.size, line, b.color))
            xs += [x, x + w]
            self.y += lh
        if b.anchor and xs and top is not None:
            self.anchor(b.anchor, (min(xs), top, max(xs), self.y))
        self.y += b.after
        self.page.content_bottom = self.y

    def rule(self, b: Rule) -> None:
        self.y += b.before
        self.page.ops.append(LineOp(self.x0 - 6, self.y, self.x1 + 6, self.y, b.width, b.color))
        if b.double:
            self.page.ops.append(
                LineOp(self.x0 - 6, self.y + b.width + 5, self.x1 + 6, self.y + b.width + 5, 1.5, b.color)
            )
        self.y += b.after

    def table(self, t: Table) -> None:
        fkey = self.fonts.get(t.role)
        lh = t.size * 1.45
        pad = t.size * 0.45
        colw = [w * self.width for w in t.widths]
        xs = [self.x0]
        for w in colw:
            xs.append(xs[-1] + w)
        self.y += t.before
        layouts = []
        for r, row in enumerate(t.rows):
            cells = []
            h = max(t.min_row * lh, t.tall_rows.get(r, 0.0))
            for c, txt in enumerate(row):
                ls = wrap(txt, fkey, t.size, colw[c] - 2 * pad) if txt else []
                cells.append(ls)
                h = max(h, len(ls) * lh + 2 * pad)
            layouts.append((cells, h))
        top_y = None
        for r, (cells, h) in enumerate(layouts):
            if not self.room(h):
                self.new_page()
                top_y = None
            if top_y is None:
                top_y = self.y
                self.page.ops.append(LineOp(xs[0], self.y, xs[-1], self.y, 2, INK))
            for c, ls in enumerate(cells):
                block_h = len(ls) * lh
                yy = self.y + (h - block_h) / 2
                for _, line in ls:
                    w = text_width(fkey, t.size, line)
                    centred = c in t.label_cols or (t.header and r == 0) or t.center_values
                    x = xs[c] + (colw[c] - w) / 2 if centred else xs[c] + pad
                    self.page.ops.append(TextOp(x, yy + lh / 2 + t.size * 0.36, fkey, t.size, line, INK))
                    yy += lh
                if (r, c) in t.cell_anchors:
                    self.anchor(t.cell_anchors[(r, c)], (xs[c], self.y, xs[c + 1], self.y + h))
            self.y += h
            self.page.ops.append(LineOp(xs[0], self.y, xs[-1], self.y, 2, INK))
            self.page.ops.append(LineOp(xs[0], self.y - h, xs[0], self.y, 2, INK))
            for x in xs[1:]:
                self.page.ops.append(LineOp(x, self.y - h, x, self.y, 2, INK))
        self.y += t.after
        self.page.content_bottom = self.y


def paginate(blocks: list[Block], geo: Geometry, fonts: FontSet) -> list[PageLayout]:
    """Lay the blocks out on A4 pages; page numbers in 公文 style (— 1 —) when asked and >1 page."""
    flow = _Flow(geo, fonts)
    for b in blocks:
        if isinstance(b, Para):
            flow.para(b)
        elif isinstance(b, Rule):
            flow.rule(b)
        elif isinstance(b, Table):
            flow.table(b)
        elif isinstance(b, Spacer):
            flow.y += b.h
            if not flow.room(0):
                flow.new_page()
        elif isinstance(b, PageBreak):
            flow.new_page()
    pages = flow.pages
    if geo.page_numbers and len(pages) > 1:
        fkey = fonts.get("body")
        for i, p in enumerate(pages, 1):
            s = f"— {i} —"
            w = text_width(fkey, 34, s)
            x = (PAGE_W - w) / 2 if i % 2 else PAGE_W - geo.right - w
            p.ops.append(TextOp(x, PAGE_H - geo.bottom + 90, fkey, 34, s, INK))
    return pages


# ---------------------------------------------------------------- rasterising


def rasterize(page: PageLayout, paper: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    """Draw a page's ops on a white (or paper-tinted) RGB image."""
    img = Image.new("RGB", (page.width, page.height), paper)
    d = ImageDraw.Draw(img)
    for op in page.ops:
        if isinstance(op, TextOp):
            d.text((op.x, op.y), op.text, font=font(op.font, op.size), fill=op.color, anchor="ls")
        else:
            d.line((op.x0, op.y0, op.x1, op.y1), fill=op.color, width=max(1, round(op.width)))
    return img
