"""Boxes of a page read turned go to the upright frame and back (extractors/ocr.py)."""

from __future__ import annotations

import numpy as np
import pytest

from extractors.ocr import QUARTER_TURNS, page_from_upright, turn_box_back, upright_page
from records.models import PageText, TextLine


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_box_follows_the_ink_when_the_page_is_turned(rotation: int) -> None:
    k = QUARTER_TURNS[rotation]
    h, w = 60, 100
    image = np.zeros((h, w), np.uint8)
    image[10:20, 30:70] = 255  # a "line" of ink: x 30..70, y 10..20
    page = PageText(page_no=1, width=w, height=h, rotation=rotation, origin="ocr",
                    lines=(TextLine(text="x", bbox=[30, 10, 70, 20]),))
    up = upright_page(page, k)
    turned = np.rot90(image, k)
    assert (up.width, up.height) == (turned.shape[1], turned.shape[0]) and up.rotation == 0
    x0, y0, x1, y1 = (int(round(v)) for v in up.lines[0].bbox)
    ys, xs = np.nonzero(turned)
    # the box covers the turned ink (to within the pixel-edge convention)
    assert abs(x0 - xs.min()) <= 1 and abs(y0 - ys.min()) <= 1 and abs(x1 - xs.max()) <= 1 and abs(y1 - ys.max()) <= 1
    back = page_from_upright(up, k, page)
    assert back.lines[0].bbox == pytest.approx([30, 10, 70, 20], abs=1.01)
    assert (back.width, back.height, back.rotation) == (w, h, rotation)
    assert turn_box_back(up.lines[0].bbox, k, w, h) == pytest.approx([30, 10, 70, 20], abs=1.01)
