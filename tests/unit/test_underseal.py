"""The pieces of reading text under grey seals (extractors/underseal.py), without OCR."""

from __future__ import annotations

import numpy as np
import pytest

from extractors.ocr import paper_normalised
from extractors.underseal import (
    SealArea,
    clean_seal_area,
    covers,
    dot_pattern,
    glyph_height,
    is_bilevel,
    merge_reread,
    row_lines,
    rows_by_ink,
    seal_area,
    solid_ink,
)
from records.models import TextLine

AREA = SealArea(cx=500.0, cy=500.0, rx=160.0, ry=160.0)


def _line(text: str, box: tuple[float, float, float, float], conf: float = 0.99) -> TextLine:
    return TextLine(text=text, bbox=list(box), confidence=conf)


def test_seal_area_of_a_seal_cut_by_the_left_edge() -> None:
    a = seal_area([0, 100, 200, 420], "round", 1654, 2339)
    assert (a.rx, a.ry) == (160, 160)
    assert a.cx == 40 and a.cy == 260


def test_reread_row_replaces_a_misread_date_and_drops_ring_text() -> None:
    old = [
        _line("特此报告。", (100, 200, 400, 240)),
        _line("弘毅职", (430, 360, 560, 400), 0.97),  # ring glyphs read as a line
        _line("二四年二月十五日", (470, 520, 800, 560), 1.0),
    ]
    new = [_line("二〇二四年二月十五日", (400, 520, 800, 560), 0.98)]
    out = merge_reread(old, new, AREA, seal_only=[False, True, False])
    assert [ln.text for ln in out] == ["特此报告。", "二〇二四年二月十五日"]


def test_reread_row_that_reads_more_but_less_surely_is_not_taken() -> None:
    old = [_line("2013年5月10日", (460, 500, 720, 540), 1.0)]
    new = [_line("20131.511101", (460, 500, 720, 540), 0.91)]
    assert merge_reread(old, new, AREA, seal_only=[False]) == old


def test_a_line_cut_short_beside_the_seal_gives_way_to_its_whole_reread() -> None:
    """The first pass stopped at the seal's edge (电话：035); the reread reads the row whole across
    the seal. The row is one line, not the piece and the whole (a scan from a generated corpus:
    the phone number was lost in 联系电话：035联系人：毛向阳联系电话：0351-…)."""
    area = SealArea(cx=1083.5, cy=1427.5, rx=162.5, ry=162.5)
    piece = _line("联系人：毛向阳联系电话：035", (285, 1510, 873, 1554))
    above = _line("特此报告。", (285, 1420, 600, 1460))
    whole = _line("联系人：毛向阳联系电话：0351-2372239", (285, 1507, 1062, 1556), 0.98)
    assert merge_reread([above, piece], [whole], area) == [above, whole]
    # a reread that reads the row worse leaves the piece alone
    worse = _line("联系人：毛向", (285, 1507, 1062, 1556), 0.6)
    assert merge_reread([above, piece], [worse], area) == [above, piece]


def test_old_line_without_ink_in_the_middle_of_the_seal_is_kept() -> None:
    # Only ring-band lines can be the seal's own text; a body line through the middle stays.
    old = [_line("2024年2月19日", (420, 480, 600, 520), 0.98)]
    out = merge_reread(old, [], AREA, seal_only=[True])
    assert out == old


def _grey_page() -> tuple[np.ndarray, np.ndarray]:
    """Paper 240, a mid-grey seal ring and bar (110), a black text bar (25) across both."""
    g = np.full((1000, 1000), 240, np.uint8)
    yy, xx = np.mgrid[:1000, :1000]
    r = np.hypot(xx - 500, yy - 500)
    g[(r > 150) & (r < 160)] = 110
    g[480:490, 380:620] = 110  # a seal stroke
    text = np.zeros_like(g, bool)
    text[500:506, 300:700] = True
    text[400:406, 100:300] = True  # a text line away from the seal, to learn the text's tone
    g[text] = 25
    return np.repeat(g[:, :, None], 3, axis=2), text


def test_clean_seal_area_whitens_the_grey_seal_and_keeps_the_text() -> None:
    rgb, text = _grey_page()
    v = paper_normalised(rgb)
    out = clean_seal_area(rgb[:, :, 0], v, AREA, text_level=float(np.percentile(v[text], 5)), bilevel=False)
    assert out is not None
    assert (out[480:490, 400:600] == 255).all()  # seal stroke gone
    assert (out[500:506, 420:580] < 60).all()  # text under it kept
    ring = out[470, 345:350]  # the border ring, away from the text
    assert (ring == 255).all()


def test_clean_seal_area_gives_up_when_seal_and_text_are_the_same_tone() -> None:
    rgb, text = _grey_page()
    rgb[rgb == 110] = 25
    v = paper_normalised(rgb)
    assert clean_seal_area(rgb[:, :, 0], v, AREA, text_level=float(np.percentile(v[text], 5)), bilevel=False) is None


def test_solid_ink_drops_dither_and_keeps_strokes() -> None:
    from PIL import Image

    # A grey patch error-diffused as a 1-bit scanner does it (Floyd-Steinberg).
    patch = np.asarray(Image.fromarray(np.full((100, 100), 110, np.uint8), "L").convert("1"))
    black = np.zeros((200, 200), bool)
    black[20:120, 20:120] = ~patch
    black[150:154, 10:190] = True  # a 4 px stroke
    black[160:162, 10:190] = True  # a 2 px stroke
    kept = solid_ink(black)
    assert kept[150:154, 10:190].all() and kept[160:162, 10:190].all()
    assert kept[20:120, 20:120].mean() < 0.1


def _dithered(shape: tuple[int, int], level: int) -> np.ndarray:
    """Black pixels of a grey patch error-diffused as a 1-bit scanner does it (Floyd-Steinberg)."""
    from PIL import Image

    return ~np.asarray(Image.fromarray(np.full(shape, level, np.uint8), "L").convert("1"))


def test_dot_pattern_is_the_seal_not_one_pixel_strokes() -> None:
    """Print on a 1-bit page at 200 dpi can be 1 px thin, thinner than the seal's dots: the
    dot pattern is told by its pinholes and loose dots, not by stroke width (an opening
    took such a page's date under the seal for dots)."""
    black = np.zeros((240, 240), bool)
    black[20:120, 20:120] = _dithered((100, 100), 90)  # a seal's dark grey: pinholes
    black[20:120, 130:230] = _dithered((100, 100), 200)  # light grey: loose dots
    black[150, 10:230] = True  # a 1 px horizontal stroke
    black[160:200, 100] = True  # a 1 px vertical stroke
    for i in range(40):  # a 1 px diagonal stroke
        black[160 + i, 150 + i] = True
    seal = dot_pattern(black)
    assert seal[20:120, 20:120][black[20:120, 20:120]].mean() > 0.95
    assert seal[20:120, 130:230][black[20:120, 130:230]].mean() > 0.95
    assert not seal[150, 10:230].any() and not seal[160:200, 100].any()
    assert not seal[160:200, 150:190].any()
    assert not solid_ink(black)[150, 10:230].any()  # what the opening did to such a stroke


def _glyph_row(img: np.ndarray, y: int, x0: int, x1: int, height: int = 30) -> None:
    """Ink like a row of glyphs: 1 px strokes, a crossbar every 6 px, a glyph every 36 px."""
    for x in range(x0, x1, 36):
        img[y : y + height, x + 4] = 0
        img[y : y + height, x + 26] = 0
        for dy in range(1, height, 6):
            img[y + dy, x : x + 30] = 0


def test_rows_by_ink_finds_the_rows_under_a_seal_and_their_whole_width() -> None:
    page = np.full((1000, 1000), 255, np.uint8)
    _glyph_row(page, 440, 250, 640)  # the signing line starts left of the seal
    _glyph_row(page, 495, 380, 620)  # the date
    _glyph_row(page, 320, 0, 1000)  # a row the seal's box cuts off at its top: not one of its rows
    _glyph_row(page, 440, 800, 950)  # another cell of the row, beyond a wide gap
    area = SealArea(cx=500.0, cy=500.0, rx=160.0, ry=160.0)
    rows = rows_by_ink(page, area, 30.0)
    assert len(rows) == 2
    (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = rows
    assert ax0 == 250 and 630 < ax1 < 660 and 438 <= ay0 <= 442 and 464 <= ay1 <= 470
    assert bx0 == 380 and 490 <= by0 <= 499


def test_two_rows_touching_are_cut_where_the_ink_is_thinnest() -> None:
    page = np.full((1000, 1000), 255, np.uint8)
    _glyph_row(page, 440, 400, 600)
    _glyph_row(page, 471, 400, 600)
    rows = rows_by_ink(page, SealArea(cx=500.0, cy=500.0, rx=160.0, ry=160.0), 30.0)
    assert len(rows) == 2 and rows[0][3] <= rows[1][1] + 1


def test_a_row_counts_as_read_when_a_line_of_two_glyphs_lies_in_it_under_the_seal() -> None:
    box = (400, 500, 800, 530)
    assert row_lines([_line("十五日", (600, 495, 700, 535), 0.82)], box, AREA)
    assert not row_lines([_line("E", (400, 495, 800, 535), 0.9)], box, AREA)  # one glyph: a ring stroke
    assert not row_lines([_line("二月十五日", (400, 495, 800, 535), 0.4)], box, AREA)
    # only where the seal crosses the row: a cell left of it does not count
    assert not row_lines([_line("验收部门意见", (0, 495, 300, 535))], (0, 500, 800, 530), AREA)


def test_glyph_height_is_the_inks_not_the_boxs() -> None:
    page = np.full((1000, 1000), 255, np.uint8)
    lines = []
    for k in range(5):
        y = 100 + 60 * k
        _glyph_row(page, y, 100, 500)
        lines.append(_line("安全生产整治", (95, y - 15, 505, y + 45)))
    avoid = np.zeros(page.shape, bool)
    assert 24 <= (glyph_height(page, lines, avoid) or 0) <= 27  # boxes 60 px tall, ink 25
    avoid[:] = True
    assert glyph_height(page, lines, avoid) is None


def test_a_grey_seal_on_a_one_bit_scan_keeps_its_dots_and_loses_the_print() -> None:
    """The seal reader's ink map of a 1-bit crop (extractors/seals.py): the dot pattern of the
    seal's grey comes back as grey ink, a solid print stroke across it goes."""
    from PIL import Image

    from extractors.seals import _bilevel_grey_ink, _is_bilevel

    grey = np.full((200, 200), 255, np.uint8)
    grey[20:120, 20:120] = np.asarray(Image.fromarray(np.full((100, 100), 110, np.uint8), "L").convert("1"), np.uint8) * 255
    grey[60:64, 0:200] = 0  # print crossing the seal's ink and the paper beside it
    assert _is_bilevel(grey)
    ink = _bilevel_grey_ink(grey)
    assert ink[40:55, 30:110].mean() < 200  # the seal's grey, as ink
    assert ink[60:64, 140:200].min() > 230  # the print on paper: gone
    assert ink[60:64, 40:100].mean() < 200  # the print across the seal: the seal's tone round it


def test_is_bilevel() -> None:
    rgb, _ = _grey_page()
    assert not is_bilevel(rgb[:, :, 0])
    assert is_bilevel(np.where(rgb[:, :, 0] < 128, 0, 255).astype(np.uint8))


def test_the_page_is_prepared_once_for_all_passes_over_it() -> None:
    from extractors.ocr import PaddleOcrEngine, drop_red_ink

    engine = PaddleOcrEngine()  # models load lazily: none are needed here
    page = np.full((40, 60, 3), 250, np.uint8)
    page[10:20, 10:30] = (220, 40, 40)  # red ink
    first = engine._prepared(page)
    assert engine._prepared(page) is first  # the re-read passes reuse it
    assert np.array_equal(first, drop_red_ink(page)) and not first.flags.writeable
    other = page.copy()
    assert engine._prepared(other) is not first  # another page (even equal) is prepared anew


def test_covers_is_measured_where_the_seal_crosses_the_row() -> None:
    row = (0, 500, 900, 530)  # the row runs from the page's left margin into the seal (340..660)
    assert covers(_line("十五日", (560, 495, 660, 535)), row, AREA) == pytest.approx(100 / 320)
    assert covers(_line("二〇二四年二月十五日", (300, 495, 700, 535)), row, AREA) == 1.0
