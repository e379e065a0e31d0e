"""Faint print (a blurred phone photo, a pale copy) stays readable after the red ink is dropped.

`drop_red_ink` stretches levels so seal ink and paper grain go white. With fixed levels, small
print whose strokes reach only ~0.65 of the paper's brightness went white with them (a phone
photo of a ruled certificate read 长治南取北技能培训中心 for 长治市职业技能培训中心). Levels now
follow the local ink where it is faint, and not where the "ink" is only grain.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from extractors.ocr import BLACK_POINT, WHITE_POINT, drop_red_ink, paper_normalised
from samples.generator.layouts import font

TITLE = "长治市上党区住房和城乡建设局"
VALUES = ("长治市职业技能培训中心", "长治市上党区紫金西街354号", "框架结构，地上7层")
PAPER = (236, 232, 222)


def _photo(seed: int) -> np.ndarray:
    """A page photographed on a grainy desk: a dark title, small pale values, blur and noise."""
    rng = np.random.default_rng(seed)
    img = Image.new("RGB", (1100, 900), (70, 62, 55))  # the desk
    d = ImageDraw.Draw(img)
    d.rectangle((120, 60, 1040, 860), fill=PAPER)
    d.text((230, 120), TITLE, font=font("song", 44), fill=(25, 25, 25))
    pale = tuple(int(0.45 * c) for c in PAPER)
    for i, text in enumerate(VALUES):
        d.text((330, 300 + 110 * i), text, font=font("song", 21), fill=pale)
    img = img.filter(ImageFilter.GaussianBlur(0.9))
    arr = np.asarray(img).astype(np.float32)
    arr += rng.normal(0.0, 5.0, arr.shape[:2])[..., None]
    desk = np.zeros(arr.shape[:2], bool)
    desk[:, :110] = True
    arr[desk] += rng.normal(0.0, 22.0, (int(desk.sum()), 1))  # a textured desk
    return np.clip(arr, 0, 255).astype(np.uint8)


def test_pale_small_print_survives_the_levels_and_the_desk_stays_white() -> None:
    page = _photo(1)
    out = drop_red_ink(page)[..., 0]
    # The values' strokes are dark after the levels (with fixed levels they went white).
    values = out[300:620, 330:800]
    assert float(np.mean(values < 128)) > 0.005
    # Grain is not ink: the desk beside the page gets no more speckle than fixed levels give.
    fixed = np.clip((paper_normalised(page) - BLACK_POINT) / (WHITE_POINT - BLACK_POINT), 0, 1) * 255
    assert float(np.mean(out[:, :100] < 128)) <= float(np.mean(fixed[:, :100] < 128)) + 0.01
    # Crisp print keeps the fixed levels: the title is as dark as they make it.
    title = (slice(120, 175), slice(230, 900))
    assert float(np.mean(out[title] < 64)) >= float(np.mean(fixed[title] < 64)) - 0.005 > 0


def test_pale_small_print_is_read(ocr_engine) -> None:  # type: ignore[no-untyped-def]
    text = ocr_engine.read_page(_photo(2), page_no=1, dpi=None).text.replace(" ", "")
    assert TITLE in text
    read = [v for v in VALUES if v.replace("，", ",") in text.replace("，", ",")]
    assert len(read) >= 2, text
