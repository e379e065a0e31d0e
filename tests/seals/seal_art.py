"""Drawn seals and pages for the seal tests.

`SealArtist` draws what a stamped scan looks like: a red ring, a five-pointed star, the
organisation's name along the upper arc with each glyph turned tangentially (tops outward),
an optional line under the star and a code along the bottom arc, with ink texture, multiplied
onto a page of black text so the text shows through the ink. Everything is deterministic
(seeded) so a failing case can be re-drawn and looked at.

When the scan generator under samples/generator/ lands, tests may switch to it; until then
this is the only drawing code the seal tests use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

REALWORLD = Path(__file__).resolve().parents[2] / ".." / "shared" / "realworld"

_SERIF_BOLD = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
_SANS_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
_SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
_KAI = "/usr/share/fonts/truetype/arphic/ukai.ttc"
_ZENHEI = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

FONTS: dict[str, tuple[str, int]] = {
    # name -> (path, face index of the Simplified Chinese face)
    "serif": (_SERIF_BOLD, 2),
    "sans": (_SANS_BOLD, 2),
    "kai": (_KAI, 0),
    "zenhei": (_ZENHEI, 0),
}

BODY_TEXT = (
    "根据《关于开展技工院校安全生产整治行动的通知》要求，我单位高度重视，成立了以校长为组长的工作领导小组，"
    "对照六个方面重点内容逐项开展自查，做到有记录、有图片、有通报、有整改，底数清、问题清、重点清、责任清。"
    "本次自查共排查隐患十二项，已整改十项，其余两项正在整改中，预计三月底前完成。消防设施、用电线路、疏散通道"
    "均已检查，实习实训场所安全管理制度健全，食堂食品卫生符合要求。特此报告。"
)

RED = (214, 32, 38)


def font(kind: str, size: int) -> ImageFont.FreeTypeFont:
    path, index = FONTS[kind]
    return ImageFont.truetype(path, size=max(6, int(size)), index=index)


@dataclass
class SealSpec:
    """What to draw. Sizes in mm; the artist converts with its dpi."""

    name: str = "阳泉市住房和城乡建设局"
    sub_text: str | None = None
    code: str | None = None
    shape: str = "round"  # round | oval | square
    diameter_mm: float = 42.0
    height_mm: float | None = None  # ovals: the short axis (width = diameter_mm)
    color: tuple[int, int, int] = RED
    fade: float = 0.0  # 0 = fresh ink; 0.6 = pale, patchy
    font: str = "serif"
    rotation_deg: float = 0.0  # seals are often stamped a little turned
    span_deg: float | None = None  # angle the name spans; default from its length


class SealArtist:
    """Draws seals and pages at a given dpi (200 unless told)."""

    def __init__(self, dpi: int = 200, seed: int = 7) -> None:
        self.dpi = dpi
        self.rng = np.random.default_rng(seed)

    def px(self, mm: float) -> int:
        return int(round(mm / 25.4 * self.dpi))

    # ------------------------------------------------------------------ seals
    def seal(self, spec: SealSpec) -> np.ndarray:
        """The seal alone as an ink-coverage map (float 0..1, H x W)."""
        if spec.shape == "square":
            return self._square_seal(spec)
        w = self.px(spec.diameter_mm)
        h = self.px(spec.height_mm) if spec.shape == "oval" and spec.height_mm else w
        scale = 4  # draw large, shrink: smooth edges like a real stamp
        W, H = w * scale, h * scale
        img = Image.new("L", (W + 8 * scale, H + 8 * scale), 0)
        draw = ImageDraw.Draw(img)
        cx, cy = img.width / 2, img.height / 2
        a, b = W / 2, H / 2
        ring = max(2, int(round(0.032 * min(W, H))))
        draw.ellipse([cx - a, cy - b, cx + a, cy + b], outline=255, width=ring)
        # Star.
        star_r = 0.3 * min(a, b) if spec.shape == "round" else 0.27 * b
        star_cy = cy - (0.02 * b if spec.shape == "round" else 0.02 * b)
        self._star(draw, cx, star_cy, star_r)
        # Name along the upper arc, glyph tops pointing outward.
        n = len(spec.name)
        span = spec.span_deg if spec.span_deg is not None else min(285.0, max(150.0, 20.0 * n + 10))
        if spec.shape == "oval":
            span = min(span, 200.0)
        glyph = 0.25 * min(a, b) if spec.shape == "round" else 0.27 * b
        # Long names get narrower glyphs, as on real seals (width ~0.82 x height after squeeze).
        per_char = math.radians(span) * 0.68 * min(a, b) / n
        glyph = min(glyph, 1.12 * per_char)
        text_a, text_b = a - ring - 0.62 * glyph, b - ring - 0.62 * glyph
        fnt = font(spec.font, glyph)
        for i, ch in enumerate(spec.name):
            # Angle measured clockwise from 12 o'clock: name runs from -span/2 to +span/2.
            t = -span / 2 + span * (i + 0.5) / n
            self._glyph_on_arc(img, ch, fnt, cx, cy, text_a, text_b, t, outward=True)
        if spec.code and 360.0 - span - 24.0 >= 5.0 * len(spec.code):
            cf = font("sans", 0.11 * min(a, b))
            m = len(spec.code)
            cspan = min(120.0, 9.0 * m, 360.0 - span - 24.0)  # the code sits in the name's gap
            ca, cb = a - ring - 0.5 * 0.12 * min(a, b), b - ring - 0.5 * 0.12 * min(a, b)
            for i, ch in enumerate(spec.code):
                # Bottom arc, read left to right: glyph bottoms outward.
                t = 180 + cspan / 2 - cspan * (i + 0.5) / m
                self._glyph_on_arc(img, ch, cf, cx, cy, ca, cb, t, outward=False)
        if spec.sub_text:
            size = 0.16 * min(a, b) if spec.shape == "round" else 0.19 * b
            sf = font(spec.font, size)
            k = len(spec.sub_text)
            width = min(1.15 * min(a, b), size * k * 1.05)
            self._straight_line(
                img, spec.sub_text, sf, cx, cy + (0.5 if spec.shape == "round" else 0.52) * b, width
            )
        if spec.rotation_deg:
            img = img.rotate(-spec.rotation_deg, resample=Image.BICUBIC, expand=False)
        img = img.resize((img.width // scale, img.height // scale), Image.LANCZOS)
        ink = np.asarray(img, dtype=np.float32) / 255.0
        return self._texture(ink, spec.fade)

    def _square_seal(self, spec: SealSpec) -> np.ndarray:
        side = self.px(spec.diameter_mm)
        scale = 4
        S = side * scale
        img = Image.new("L", (S + 8 * scale, S + 8 * scale), 0)
        draw = ImageDraw.Draw(img)
        o = 4 * scale
        border = max(2, int(0.06 * S))
        draw.rectangle([o, o, o + S, o + S], outline=255, width=border)
        chars = (spec.name + "印")[:4] if len(spec.name) < 4 else spec.name[:4]
        # Read right column top-down, then left column: 王書 | 文印
        cell = (S - 2 * border) / 2
        fnt = font(spec.font, cell * 0.86)
        pos = [(1, 0), (1, 1), (0, 0), (0, 1)]
        for ch, (col, row) in zip(chars, pos, strict=False):
            x = o + border + col * cell + cell / 2
            y = o + border + row * cell + cell / 2
            draw.text((x, y), ch, font=fnt, fill=255, anchor="mm")
        img = img.resize((img.width // scale, img.height // scale), Image.LANCZOS)
        return self._texture(np.asarray(img, dtype=np.float32) / 255.0, spec.fade)

    @staticmethod
    def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
        pts = []
        for k in range(10):
            rr = r if k % 2 == 0 else r * 0.382
            ang = math.radians(-90 + 36 * k)
            pts.append((cx + rr * math.cos(ang), cy + rr * math.sin(ang)))
        draw.polygon(pts, fill=255)

    @staticmethod
    def _glyph_on_arc(
        img: Image.Image,
        ch: str,
        fnt: ImageFont.FreeTypeFont,
        cx: float,
        cy: float,
        a: float,
        b: float,
        t_deg: float,
        *,
        outward: bool,
    ) -> None:
        size = int(fnt.size * 1.5)
        tile = Image.new("L", (size, size), 0)
        ImageDraw.Draw(tile).text((size / 2, size / 2), ch, font=fnt, fill=255, anchor="mm")
        # Squeeze the glyph a little horizontally, as seal engravers do.
        tile = tile.resize((int(size * 0.82), size), Image.LANCZOS)
        tile = tile.filter(ImageFilter.MaxFilter(5))  # engraved seal strokes are heavy
        t = math.radians(t_deg)
        x = cx + a * math.sin(t)
        y = cy - b * math.cos(t)
        # Direction of the outward normal of the ellipse at this point.
        nx, ny = math.sin(t) / a, -math.cos(t) / b
        ang = math.degrees(math.atan2(nx, -ny))  # 0 at the top, clockwise positive
        rot = -ang if outward else 180 - ang
        tile = tile.rotate(rot, resample=Image.BICUBIC, expand=True)
        img.paste(255, (int(x - tile.width / 2), int(y - tile.height / 2)), tile)

    @staticmethod
    def _straight_line(
        img: Image.Image, text: str, fnt: ImageFont.FreeTypeFont, cx: float, cy: float, width: float
    ) -> None:
        tile = Image.new("L", (int(fnt.size * (len(text) + 1) * 1.1), int(fnt.size * 1.6)), 0)
        ImageDraw.Draw(tile).text((tile.width / 2, tile.height / 2), text, font=fnt, fill=255, anchor="mm")
        bbox = tile.getbbox()
        if bbox:
            tile = tile.crop(bbox)
        tile = tile.resize((max(1, int(width)), tile.height), Image.LANCZOS)
        img.paste(255, (int(cx - tile.width / 2), int(cy - tile.height / 2)), tile)

    def _texture(self, ink: np.ndarray, fade: float) -> np.ndarray:
        """Uneven stamp pressure: blotches where ink is thin, a little speckle."""
        h, w = ink.shape
        low = self.rng.random((max(2, h // 24), max(2, w // 24))).astype(np.float32)
        low = (
            np.asarray(
                Image.fromarray((low * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC), dtype=np.float32
            )
            / 255
        )
        speck = self.rng.random((h, w)).astype(np.float32)
        strength = 0.78 + 0.22 * low - 0.55 * fade * low
        ink = ink * np.clip(strength, 0, 1)
        ink[speck < 0.04 + 0.25 * fade] *= 0.35
        return np.clip(ink, 0, 1)

    # ------------------------------------------------------------------ pages
    def blank_page(self, width_mm: float = 210, height_mm: float = 297, text: bool = True) -> np.ndarray:
        w, h = self.px(width_mm), self.px(height_mm)
        page = Image.new("RGB", (w, h), (250, 249, 246))
        if text:
            draw = ImageDraw.Draw(page)
            title = font("sans", self.px(6))
            draw.text(
                (w / 2, self.px(30)), "安全生产整治自查情况报告", font=title, fill=(20, 20, 20), anchor="mm"
            )
            body = font("serif", self.px(4.2))
            margin, y = self.px(25), self.px(48)
            line_h = self.px(8)
            chars_per_line = int((w - 2 * margin) / (self.px(4.2) * 1.02))
            text_all = BODY_TEXT * 3
            pos = 0
            while y < h - self.px(30) and pos < len(text_all):
                draw.text((margin, y), text_all[pos : pos + chars_per_line], font=body, fill=(25, 25, 25))
                pos += chars_per_line
                y += line_h
        return np.asarray(page, dtype=np.uint8).copy()

    def stamp(
        self, page: np.ndarray, ink: np.ndarray, center: tuple[int, int], color: tuple[int, int, int] = RED
    ) -> np.ndarray:
        """Multiply the ink onto the page at `center` (x, y); ink may hang off the edge."""
        out = page.astype(np.float32)
        h, w = ink.shape
        x0, y0 = center[0] - w // 2, center[1] - h // 2
        px0, py0 = max(0, x0), max(0, y0)
        px1, py1 = min(page.shape[1], x0 + w), min(page.shape[0], y0 + h)
        if px1 <= px0 or py1 <= py0:
            return page
        sub = ink[py0 - y0 : py1 - y0, px0 - x0 : px1 - x0][:, :, None]
        tint = np.asarray(color, dtype=np.float32)[None, None, :] / 255.0
        region = out[py0:py1, px0:px1]
        out[py0:py1, px0:px1] = region * (1 - sub + sub * tint)
        return np.clip(out, 0, 255).astype(np.uint8)

    def scan(
        self, page: np.ndarray, *, noise: float = 3.0, blur: float = 0.6, grey: bool = False
    ) -> np.ndarray:
        img = Image.fromarray(page)
        if blur:
            img = img.filter(ImageFilter.GaussianBlur(blur))
        arr = np.asarray(img, dtype=np.float32)
        arr += self.rng.normal(0, noise, arr.shape).astype(np.float32)
        arr = np.clip(arr, 0, 255).astype(np.uint8)
        if grey:
            g = (0.299 * arr[:, :, 0] + 0.587 * arr[:, :, 1] + 0.114 * arr[:, :, 2]).astype(np.uint8)
            arr = np.repeat(g[:, :, None], 3, axis=2)
        return arr

    def stamped_page(
        self,
        specs: list[tuple[SealSpec, tuple[int, int]]],
        *,
        grey: bool = False,
        text: bool = True,
    ) -> np.ndarray:
        """A text page with seals stamped at the given centres (pixels), then 'scanned'."""
        page = self.blank_page(text=text)
        for spec, center in specs:
            page = self.stamp(page, self.seal(spec), center, spec.color)
        return self.scan(page, grey=grey)

    def seal_crop(self, spec: SealSpec, margin_mm: float = 3.0) -> np.ndarray:
        """A seal alone on paper (like a cut-out picture), RGB."""
        ink = self.seal(spec)
        m = self.px(margin_mm)
        paper = np.full((ink.shape[0] + 2 * m, ink.shape[1] + 2 * m, 3), 250, np.uint8)
        return self.scan(self.stamp(paper, ink, (paper.shape[1] // 2, paper.shape[0] // 2), spec.color))

    def red_header_page(self) -> np.ndarray:
        """A 红头文件: red 文件 header, red rule, red title, red emblem-like mark, red scribble; no seal."""
        page = Image.fromarray(self.blank_page(text=False))
        draw = ImageDraw.Draw(page)
        w, h = page.size
        head = font("serif", self.px(13))
        draw.text((w / 2, self.px(38)), "阳泉市人力资源和社会保障局文件", font=head, fill=RED, anchor="mm")
        draw.text(
            (w / 2, self.px(58)),
            "阳人社函〔2024〕23号",
            font=font("serif", self.px(4.5)),
            fill=(30, 30, 30),
            anchor="mm",
        )
        draw.rectangle([self.px(20), self.px(66), w - self.px(20), self.px(66.8)], fill=RED)
        # A red star on the rule, as many red-headed documents have.
        self._star(draw, w / 2, self.px(66.4), self.px(3))
        draw.text(
            (w / 2, self.px(82)),
            "关于开展安全生产整治行动的通知",
            font=font("sans", self.px(7)),
            fill=RED,
            anchor="mm",
        )
        body = font("serif", self.px(4.2))
        y = self.px(98)
        k = 0
        while y < h - self.px(60):
            draw.text((self.px(25), y), (BODY_TEXT * 2)[k : k + 36], font=body, fill=(25, 25, 25))
            k = (k + 36) % len(BODY_TEXT)
            y += self.px(8)
        # Red table rules.
        for yy in range(h - self.px(58), h - self.px(20), self.px(9)):
            draw.rectangle([self.px(25), yy, w - self.px(25), yy + 2], fill=RED)
        for xx in (self.px(25), self.px(80), w - self.px(25)):
            draw.rectangle([xx, h - self.px(58), xx + 2, h - self.px(58) + 4 * self.px(9)], fill=RED)
        # A filled emblem-like red mark (not a ring of glyphs): disc with a lighter pattern.
        ex, ey, er = w - self.px(40), self.px(120), self.px(18)
        draw.ellipse([ex - er, ey - er, ex + er, ey + er], fill=RED)
        for k2 in range(5):
            self._star_color(draw, ex - er * 0.45 + k2 * er * 0.22, ey - er * 0.3, er * 0.12, (250, 220, 90))
        draw.rectangle([ex - er * 0.6, ey + er * 0.1, ex + er * 0.6, ey + er * 0.5], fill=(250, 220, 90))
        # Red handwriting: a loop-and-stroke signature.
        pts = [
            (self.px(120) + 4 * t, self.px(250) + 18 * math.sin(t / 6.0) + 6 * math.cos(t / 2.0))
            for t in range(140)
        ]
        draw.line(pts, fill=RED, width=3)
        draw.ellipse([self.px(150), self.px(240), self.px(162), self.px(262)], outline=RED, width=3)
        return self.scan(np.asarray(page, dtype=np.uint8).copy())

    @staticmethod
    def _star_color(
        draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, color: tuple[int, int, int]
    ) -> None:
        pts = []
        for k in range(10):
            rr = r if k % 2 == 0 else r * 0.382
            ang = math.radians(-90 + 36 * k)
            pts.append((cx + rr * math.cos(ang), cy + rr * math.sin(ang)))
        draw.polygon(pts, fill=color)
