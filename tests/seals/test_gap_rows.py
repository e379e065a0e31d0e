"""Rows of print the page's detector found no line for are read again (`read_gaps`).

The page is a generated certificate that does not pass (seed 20261130, its rows away from the
seal's were blanked to keep the file small; grey levels rounded to 16): a handwritten copy note
(与原件核对一致) lies across the row 综合评定结论为不合格, and the detector drops that row.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from extractors.underseal import gap_bands, uncovered_ink
from records.models import TextLine

PAGES = Path(__file__).parent / "pages"


def test_a_row_the_detector_dropped_under_a_handwritten_note_is_read(ocr_engine, seal_reader) -> None:  # type: ignore[no-untyped-def]
    from extractors.fields import extract_fields
    from records.rules import default_rules_dir, load_rules

    image = np.asarray(Image.open(PAGES / "certificate_note_across_conclusion.png").convert("RGB"))
    first = ocr_engine.read_page(image, page_no=1, dpi=200)
    seals = [sc.finding for sc in seal_reader.find_seals(image, page_no=1, dpi=200)]
    first = ocr_engine.reread_under_seals(image, first, seals)
    assert "不合格" not in first.text, first.text
    again = ocr_engine.read_gaps(image, first, [s.bbox for s in seals])
    assert "综合评定结论为不合格" in again.text, again.text
    # every line of the first pass is kept, none is found twice
    def keys(page):  # type: ignore[no-untyped-def]
        return [(ln.text, tuple(ln.bbox or ())) for ln in page.lines]

    assert set(keys(first)) <= set(keys(again)) and len(set(keys(again))) == len(keys(again))
    rules = load_rules(default_rules_dir(), "shanxi-2024")
    fields = extract_fields([again], rules.doctypes["fire_acceptance_certificate"])
    assert fields["acceptance_conclusion"].value == "不合格"


def _line(text: str, box: list[float]) -> TextLine:
    return TextLine(text=text, bbox=box, confidence=1.0)


def test_only_uncovered_ink_as_tall_and_wide_as_a_row_makes_a_band() -> None:
    page = np.full((400, 1000), 250, np.uint8)
    for x in range(100, 880, 30):
        page[50:80, x : x + 22] = 0  # a read row: glyphs under a line's box
    for x in range(100, 700, 30):
        page[150:180, x : x + 22] = 0  # a row no line covers, 20 glyphs wide
    for x in range(100, 160, 30):
        page[250:280, x : x + 22] = 0  # two glyphs: too narrow for a row
    page[330:333, 50:950] = 0  # a ruling
    lines = [_line("已读的一行文字", [90, 40, 910, 90])]
    free = uncovered_ink(page, lines, np.zeros(page.shape, bool), glyph=30.0)
    assert not free[50:80].any() and not free[330:333].any()
    (a, b), = gap_bands(free, 30.0, min_width=4.0)  # the uncovered row alone, a pixel of smoothing either side
    assert 148 <= a <= 150 and 180 <= b <= 182
    assert gap_bands(free, 30.0, min_width=25.0) == []


def _glyph_rows(page: np.ndarray, tops: list[int], width: int = 600) -> None:
    for top in tops:
        for x in range(100, 100 + width, 30):
            page[top : top + 30, x : x + 22] = 0


def test_a_page_with_many_uncovered_bands_is_not_read_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Thirteen bands of ink no line covers: no page of print with a row lost (a photo, a drawing).
    The bands are left alone, bounding the cost; a few are read again."""
    from extractors.ocr import GAP_MAX_BANDS, PaddleOcrEngine
    from records.models import PageText

    engine = PaddleOcrEngine()
    asked: list[tuple[int, int]] = []
    monkeypatch.setattr(engine, "_lines_of", lambda bgr, origin, scale, size: asked.append(origin) or [])

    def page_with(n_free: int) -> tuple[np.ndarray, PageText]:
        img = np.full((200 + 60 * (n_free + 3), 1000), 250, np.uint8)
        read = [60 * i + 40 for i in range(3)]
        free = [60 * (i + 3) + 40 for i in range(n_free)]
        _glyph_rows(img, read + free)
        lines = tuple(_line("已读的一行文字", [90, t - 8, 710, t + 38]) for t in read)
        return np.repeat(img[:, :, None], 3, axis=2), PageText(page_no=1, width=1000, height=img.shape[0], origin="ocr", lines=lines)

    image, page = page_with(GAP_MAX_BANDS + 1)
    assert engine.read_gaps(image, page, []) is page and asked == []
    image, page = page_with(2)
    assert engine.read_gaps(image, page, []) is page and len(asked) == 2
