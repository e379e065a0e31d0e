"""Seal detection on drawn pages (no OCR): what is a seal, where, which shape, and what is not."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw
from seal_art import BODY_TEXT, SealArtist, SealSpec, font

from extractors.seals import SealOptions, SealReader


def iou(a: list[float], b: list[float]) -> float:
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def drawn_box(artist: SealArtist, spec: SealSpec, center: tuple[int, int], page: np.ndarray) -> list[float]:
    """The seal's outline box on the page (clipped), from the drawing parameters."""
    w = artist.px(spec.diameter_mm)
    h = artist.px(spec.height_mm) if spec.shape == "oval" and spec.height_mm else w
    H, W = page.shape[:2]
    x0, y0 = center[0] - w / 2, center[1] - h / 2
    return [max(0.0, x0), max(0.0, y0), min(float(W), x0 + w), min(float(H), y0 + h)]


def find(detector: SealReader, page: np.ndarray, dpi: int | None = 200):  # type: ignore[no-untyped-def]
    return [c.finding for c in detector.find_seals(page, page_no=1, dpi=dpi)]


def test_round_seal_on_a_text_page(artist: SealArtist, detector: SealReader) -> None:
    spec = SealSpec(name="阳泉市住房和城乡建设局", sub_text="消防验收专用章", code="1403000012345")
    page = artist.stamped_page([(spec, (1200, 1900))])
    seals = find(detector, page)
    assert len(seals) == 1
    s = seals[0]
    assert (s.shape, s.color, s.partial, s.page_no) == ("round", "red", False, 1)
    assert iou(s.bbox, drawn_box(artist, spec, (1200, 1900), page)) > 0.85
    assert s.score >= 0.8


def test_oval_seal(artist: SealArtist, detector: SealReader) -> None:
    spec = SealSpec(name="山西焦煤集团有限责任公司", shape="oval", diameter_mm=42, height_mm=30, font="sans")
    page = artist.stamped_page([(spec, (500, 1000))])
    seals = find(detector, page)
    assert [s.shape for s in seals] == ["oval"]
    assert iou(seals[0].bbox, drawn_box(artist, spec, (500, 1000), page)) > 0.8


def test_faded_orange_turned_seal(artist: SealArtist, detector: SealReader) -> None:
    spec = SealSpec(name="太原市第一技工学校", fade=0.6, color=(232, 96, 70), rotation_deg=12)
    page = artist.stamped_page([(spec, (800, 700))])
    seals = find(detector, page)
    assert len(seals) == 1
    assert iou(seals[0].bbox, drawn_box(artist, spec, (800, 700), page)) > 0.8


def test_seal_over_dense_text(artist: SealArtist, detector: SealReader) -> None:
    spec = SealSpec(name="阳泉市职业技能鉴定中心", font="sans")
    page = artist.stamped_page([(spec, (700, 520))])  # right over the paragraph
    seals = find(detector, page)
    assert len(seals) == 1 and seals[0].shape == "round"


def test_two_seals(artist: SealArtist, detector: SealReader) -> None:
    a, b = SealSpec(name="太原市第一技工学校"), SealSpec(name="山西省人力资源和社会保障厅", font="kai")
    page = artist.stamped_page([(a, (500, 1800)), (b, (1150, 1850))])
    seals = find(detector, page)
    assert len(seals) == 2
    assert iou(seals[0].bbox, drawn_box(artist, a, (500, 1800), page)) > 0.8
    assert iou(seals[1].bbox, drawn_box(artist, b, (1150, 1850), page)) > 0.8


def test_touching_seals_are_two(artist: SealArtist, detector: SealReader) -> None:
    a, b = SealSpec(name="长治技师学院"), SealSpec(name="长治市人力资源和社会保障局")
    d = artist.px(42)
    page = artist.stamped_page([(a, (600, 1900)), (b, (600 + d - 4, 1910))])
    assert len(find(detector, page)) == 2


def test_seal_half_off_the_page_is_partial(artist: SealArtist, detector: SealReader) -> None:
    spec = SealSpec(name="阳泉市第二技工学校")
    page = artist.stamped_page([(spec, (1600, 1200))])  # about a third hangs over the right edge
    seals = find(detector, page)
    assert len(seals) == 1
    s = seals[0]
    assert s.partial is True
    assert s.bbox[2] <= page.shape[1]
    assert iou(s.bbox, drawn_box(artist, spec, (1600, 1200), page)) > 0.8


def test_seal_cut_at_the_bottom_edge_is_partial(artist: SealArtist, detector: SealReader) -> None:
    page = artist.stamped_page([(SealSpec(name="阳泉市城区人力资源和社会保障局"), (800, 2339 - 60))])
    seals = find(detector, page)
    assert [s.partial for s in seals] == [True]


def test_red_header_document_without_seal_has_none(artist: SealArtist, detector: SealReader) -> None:
    """红头文件: red 文件 header, red rule with a star, red title, red table rules, a filled
    red emblem-like disc and red handwriting (with a loop): none of it is a seal."""
    assert find(detector, artist.red_header_page()) == []


def test_plain_text_pages_have_none(artist: SealArtist, detector: SealReader) -> None:
    assert find(detector, artist.stamped_page([])) == []
    assert find(detector, artist.stamped_page([], grey=True)) == []


def test_square_personal_seal(artist: SealArtist, detector: SealReader) -> None:
    spec = SealSpec(name="王書文", shape="square", diameter_mm=18, font="kai")
    page = artist.stamped_page([(spec, (1300, 2000))])
    seals = find(detector, page)
    assert [s.shape for s in seals] == ["square"]
    assert iou(seals[0].bbox, drawn_box(artist, spec, (1300, 2000), page)) > 0.75


def test_grey_seal_on_a_greyscale_scan(artist: SealArtist, detector: SealReader) -> None:
    spec = SealSpec(name="阳泉市住房和城乡建设局")
    page = artist.stamped_page([(spec, (1200, 1900))], grey=True)
    seals = find(detector, page)
    assert [(s.shape, s.color) for s in seals] == [("round", "grey")]
    assert iou(seals[0].bbox, drawn_box(artist, spec, (1200, 1900), page)) > 0.8


def test_camera_dpi_of_72_is_not_trusted(artist: SealArtist, detector: SealReader) -> None:
    # Phones write 72 dpi into every photo: a 1654 px wide page at 72 dpi would be 58 cm wide.
    page = artist.stamped_page([(SealSpec(name="太原市第一技工学校"), (800, 1600))])
    assert len(find(detector, page, dpi=72)) == 1


def test_unknown_dpi_on_an_a4_page(artist: SealArtist, detector: SealReader) -> None:
    page = artist.stamped_page([(SealSpec(name="太原市第一技工学校"), (800, 1600))])
    assert len(find(detector, page, dpi=None)) == 1


def test_seal_picture_of_unknown_scale(artist: SealArtist, detector: SealReader) -> None:
    # An embedded picture (a DOCX floating seal): the seal fills it.
    crop = artist.seal_crop(SealSpec(name="山西省职业技能鉴定指导中心"))
    seals = find(detector, crop, dpi=None)
    assert len(seals) == 1 and seals[0].shape == "round" and not seals[0].partial


def test_disabled_reader_finds_nothing(artist: SealArtist) -> None:
    page = artist.stamped_page([(SealSpec(), (800, 1600))])
    assert SealReader(SealOptions(enabled=False)).find_seals(page, page_no=1, dpi=200) == []


def test_crop_and_reading_order(artist: SealArtist, detector: SealReader) -> None:
    page = artist.stamped_page(
        [(SealSpec(name="太原市第一技工学校"), (1100, 1900)), (SealSpec(name="太原市教育局"), (500, 600))]
    )
    found = detector.find_seals(page, page_no=4, dpi=200)
    assert [c.finding.page_no for c in found] == [4, 4]
    assert found[0].finding.bbox[1] < found[1].finding.bbox[1]  # top to bottom
    for c in found:
        assert c.crop.ndim == 3 and c.crop.dtype == np.uint8
        assert c.crop.shape[0] >= 300 and c.crop.shape[1] >= 300
        assert c.strip is None  # nothing read without OCR
        assert c.finding.text is None


@pytest.mark.parametrize("dpi", [150, 300])
def test_other_scan_resolutions(dpi: int, detector: SealReader) -> None:
    art = SealArtist(dpi=dpi, seed=5)
    spec = SealSpec(name="晋中市公安消防支队")
    page = art.stamped_page([(spec, (art.px(120), art.px(230)))])
    seals = find(detector, page, dpi=dpi)
    assert len(seals) == 1
    assert iou(seals[0].bbox, drawn_box(art, spec, (art.px(120), art.px(230)), page)) > 0.8


# ---------------------------------------------------------------- grey and 1-bit seals
# A photocopy, a greyscale or a 1-bit scan leaves the seal as dark as the text: it is found by
# its shape (a thin border, glyphs apart round the band, a star), and the text, table rules
# and shading of such pages must not pass for one.


def one_bit(page: np.ndarray) -> np.ndarray:
    """A 1-bit scan (error-diffused, as fax/G4 scanners do), back as RGB."""
    bw = Image.fromarray(page).convert("L").convert("1")
    return np.repeat(np.asarray(bw.convert("L"), dtype=np.uint8)[:, :, None], 3, axis=2)


def ruled_page(artist: SealArtist) -> np.ndarray:
    """A form: a table grid of black rules over the lower half of a text page."""
    page = Image.fromarray(artist.blank_page())
    draw = ImageDraw.Draw(page)
    w, h = page.size
    x0, x1, y0, y1 = artist.px(20), w - artist.px(20), artist.px(150), artist.px(270)
    for y in range(y0, y1 + 1, artist.px(12)):
        draw.line([(x0, y), (x1, y)], fill=(20, 20, 20), width=3)
    for x in (x0, artist.px(60), artist.px(120), x1):
        draw.line([(x, y0), (x, y1)], fill=(20, 20, 20), width=3)
    return np.asarray(page, dtype=np.uint8).copy()


def shaded(page: np.ndarray) -> np.ndarray:
    """Uneven light of a phone photo: a dark corner fading in round arcs, and a dark desk strip."""
    h, w = page.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    light = 1.0 - 0.55 * np.clip(1.0 - np.hypot(xx - w, yy - h) / (0.6 * w), 0.0, 1.0)
    out = page.astype(np.float32) * light[:, :, None]
    out[:, : w // 12] = 90.0
    return np.clip(out, 0, 255).astype(np.uint8)


def test_grey_oval_seal_crossed_by_text(artist: SealArtist, detector: SealReader) -> None:
    spec = SealSpec(
        name="山西博远企业管理咨询有限公司", shape="oval", diameter_mm=44, height_mm=31, font="sans"
    )
    page = artist.stamped_page([(spec, (600, 560))], grey=True)  # over the paragraph
    seals = find(detector, page)
    assert [(s.shape, s.color) for s in seals] == [("oval", "grey")]
    assert iou(seals[0].bbox, drawn_box(artist, spec, (600, 560), page)) > 0.7


def test_round_seal_on_a_one_bit_scan(artist: SealArtist, detector: SealReader) -> None:
    spec = SealSpec(name="忻州市忻府区通达职业培训学校")
    page = one_bit(artist.stamped_page([(spec, (800, 700))]))
    seals = find(detector, page)
    assert [(s.shape, s.color) for s in seals] == [("round", "grey")]
    assert iou(seals[0].bbox, drawn_box(artist, spec, (800, 700), page)) > 0.8


def test_square_seal_on_a_one_bit_scan(artist: SealArtist, detector: SealReader) -> None:
    spec = SealSpec(name="冯慧敏", shape="square", diameter_mm=20, font="kai")
    page = one_bit(artist.stamped_page([(spec, (1300, 2050))]))
    seals = find(detector, page)
    assert [(s.shape, s.color) for s in seals] == [("square", "grey")]
    assert iou(seals[0].bbox, drawn_box(artist, spec, (1300, 2050), page)) > 0.75


def test_grey_seal_stamped_on_a_table_grid(artist: SealArtist, detector: SealReader) -> None:
    spec = SealSpec(name="华阳新材料科技集团有限公司", shape="oval", diameter_mm=42, height_mm=30)
    centre = (artist.px(60), artist.px(205))  # on a grid crossing
    page = artist.scan(artist.stamp(ruled_page(artist), artist.seal(spec), centre, spec.color), grey=True)
    seals = find(detector, page)
    assert [(s.shape, s.color) for s in seals] == [("oval", "grey")]
    assert iou(seals[0].bbox, drawn_box(artist, spec, centre, page)) > 0.7


def test_grey_seal_cut_by_the_left_edge(artist: SealArtist, detector: SealReader) -> None:
    spec = SealSpec(name="忻州市忻府区振兴职业培训学校")
    page = artist.stamped_page([(spec, (50, 1700))], grey=True)  # more than half off the page
    seals = find(detector, page)
    assert [(s.color, s.partial) for s in seals] == [("grey", True)]
    assert iou(seals[0].bbox, drawn_box(artist, spec, (50, 1700), page)) > 0.6


def test_grey_pages_without_seals_have_none(artist: SealArtist, detector: SealReader) -> None:
    """Shading, a desk strip, table rules and a red-headed document gone grey: no seal."""
    grey = artist.scan(ruled_page(artist), grey=True)
    assert find(detector, grey) == []
    assert find(detector, shaded(grey)) == []
    assert find(detector, one_bit(artist.red_header_page())) == []
    header = artist.red_header_page()
    assert find(detector, np.repeat(header.min(axis=2)[:, :, None], 3, axis=2)) == []


# ---------------------------------------------------------------- ovals
# Company seals are often oval, and oval seals are missed in ways round ones are not: no star,
# stood on end by a page scanned sideways, cut by the page edge, or their ring broken by text.


class StarlessArtist(SealArtist):
    """Draws seals without the star (many company ovals carry none)."""

    @staticmethod
    def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
        return None


def test_grey_oval_seal_without_a_star(detector: SealReader) -> None:
    art = StarlessArtist(dpi=200, seed=7)
    spec = SealSpec(name="山西精工教育科技有限公司", shape="oval", diameter_mm=44, height_mm=31)
    centre = (art.px(50), art.px(235))  # under the last lines of text
    page = art.stamped_page([(spec, centre)], grey=True)
    seals = find(detector, page)
    assert [(s.shape, s.color) for s in seals] == [("oval", "grey")]
    assert iou(seals[0].bbox, drawn_box(art, spec, centre, page)) > 0.8


def test_a_light_starless_oval_on_a_one_bit_scan(detector: SealReader) -> None:
    """A certificate copy on a 1-bit scan (from a generated corpus): the sponsor's company oval,
    starless and light, became sparse dots; its ring holds little ink but many glyphs apart
    round the band, which no empty ring has. Both seals on the page are found."""
    from pathlib import Path

    page = np.asarray(Image.open(Path(__file__).resolve().parent / "pages" / "certificate_one_bit_light_oval.png").convert("RGB"))
    seals = find(detector, page)
    assert sorted((s.shape, s.color) for s in seals) == [("oval", "grey"), ("round", "grey")]
    (oval,) = [s for s in seals if s.shape == "oval"]
    assert iou(oval.bbox, [197, 1774, 527, 1999]) > 0.8  # the generator's outline


def test_oval_seal_on_a_page_scanned_sideways(artist: SealArtist, detector: SealReader) -> None:
    """A page fed sideways: the oval stands on end (its long axis vertical), red and grey."""
    spec = SealSpec(name="山西德馨教育咨询有限公司", shape="oval", diameter_mm=42, height_mm=30, font="sans")
    for grey in (False, True):
        page = np.ascontiguousarray(np.rot90(artist.stamped_page([(spec, (1200, 1900))], grey=grey)))
        seals = find(detector, page)
        assert [(s.shape, s.color) for s in seals] == [("oval", "grey" if grey else "red")]
        w, h = artist.px(42), artist.px(30)
        # rot90 (counter-clockwise): page (x, y) -> (y, W - 1 - x)
        cx, cy = 1900, artist.px(210) - 1 - 1200
        assert iou(seals[0].bbox, [cx - h / 2, cy - w / 2, cx + h / 2, cy + w / 2]) > 0.8


def test_oval_seal_cut_by_the_right_edge_is_partial(artist: SealArtist, detector: SealReader) -> None:
    spec = SealSpec(name="山西明德教育科技有限公司", shape="oval", diameter_mm=44, height_mm=31)
    W = artist.px(210)
    centre = (W - artist.px(8), artist.px(250))  # about a third hangs over the edge
    page = artist.stamped_page([(spec, centre)])
    seals = find(detector, page)
    assert [(s.shape, s.color, s.partial) for s in seals] == [("oval", "red", True)]
    assert iou(seals[0].bbox, drawn_box(artist, spec, centre, page)) > 0.75


def crossed_oval_photo(artist: SealArtist, spec: SealSpec, centre: tuple[int, int]) -> np.ndarray:
    """A red oval with lines of bold black text printed across its ring, shaded and softened like
    a phone photo."""
    img = Image.fromarray(artist.stamp(artist.blank_page(), artist.seal(spec), centre, spec.color))
    draw = ImageDraw.Draw(img)
    bold = font("sans", artist.px(5))
    for dy in (-17, -8, 8, 16):
        y = centre[1] + artist.px(dy)
        draw.text((artist.px(110), y), BODY_TEXT[:24], font=bold, fill=(10, 10, 10), anchor="lm")
    return shaded(artist.scan(np.asarray(img, dtype=np.uint8).copy(), blur=1.2, noise=5.0))


def test_red_oval_crossed_by_black_text_in_a_photo(artist: SealArtist, detector: SealReader) -> None:
    """The black text breaks the red outline in several places (no dpi to trust in a photo)."""
    spec = SealSpec(name="山西博远企业管理咨询有限公司", shape="oval", diameter_mm=44, height_mm=31)
    centre = (artist.px(150), artist.px(150))
    photo = crossed_oval_photo(artist, spec, centre)
    seals = find(detector, photo, dpi=72)
    assert [(s.shape, s.color) for s in seals] == [("oval", "red")]
    assert iou(seals[0].bbox, drawn_box(artist, spec, centre, photo)) > 0.75


def test_a_pen_circle_round_a_paragraph_is_no_seal(artist: SealArtist, detector: SealReader) -> None:
    """A reviewer's ring round some lines (seal-sized, thin, closed, text inside) has no star and
    its 'glyphs' fill it: it must not pass for a starless grey seal. (A ring whose middle is dense
    with text, or dithered on a 1-bit scan, still passes the star test: a known weakness.)"""
    img = Image.fromarray(artist.blank_page())
    draw = ImageDraw.Draw(img)
    for x, y, w, h, pen in ((120, 170, 42, 42, 4), (50, 230, 46, 30, 5)):
        box = [artist.px(x - w / 2), artist.px(y - h / 2), artist.px(x + w / 2), artist.px(y + h / 2)]
        draw.ellipse(box, outline=(30, 30, 30), width=pen)
    page = artist.scan(np.asarray(img, dtype=np.uint8).copy(), grey=True)
    assert find(detector, page) == []


def test_seal_cut_by_a_dark_scanner_border_inside_the_picture_is_partial(artist: SealArtist, detector: SealReader) -> None:
    """A phone photo or scan with a dark band down its right side: the seal ends at the band,
    well inside the image. Its ink is a C whose contour runs back round the band's inner edge;
    the outer arc alone gives the circle."""
    spec = SealSpec(name="山西弘毅教育咨询有限公司")
    centre = (1480, 1194)
    page = artist.stamped_page([(spec, centre)])
    page[:, 1474:] = (70, 72, 75)  # the band covers the seal's right half
    seals = find(detector, page)
    assert len(seals) == 1
    s = seals[0]
    assert (s.shape, s.color, s.partial) == ("round", "red", True)
    assert iou(s.bbox, drawn_box(artist, spec, centre, page)) > 0.8


def _on_a_desk(page: np.ndarray, sheet_bottom: int, desk: tuple[int, int, int], seed: int = 3) -> np.ndarray:
    """A photographed sheet ending at `sheet_bottom`, the desk below it (even, darker than
    paper, a little camera noise)."""
    out = page.astype(np.float32)
    noise = np.random.default_rng(seed).normal(0, 2.0, out[sheet_bottom:].shape)
    out[sheet_bottom:] = np.asarray(desk, np.float32) + noise
    return np.clip(out, 0, 255).astype(np.uint8)


@pytest.mark.parametrize(("grey", "desk"), [(False, (150, 150, 146)), (True, (170, 146, 118))])
def test_seal_cut_by_the_edge_of_a_photographed_sheet_is_partial(artist: SealArtist, detector: SealReader,
                                                                 grey: bool, desk: tuple[int, int, int]) -> None:
    """A phone photo of a sheet on a grey or brown desk, the seal running off the sheet's foot:
    the desk is no ink and no dark border (0.6-0.7 of paper, where a scanner's border is under
    0.55), yet the seal is cut."""
    spec = SealSpec(name="晋中市榆次区瑞丰技能培训中心")
    centre = (1000, 1900)
    page = _on_a_desk(artist.stamped_page([(spec, centre)], grey=grey), centre[1] + artist.px(8), desk)
    seals = find(detector, page)
    assert len(seals) == 1 and seals[0].partial, seals


def test_a_whole_seal_on_a_sheet_in_shade_is_not_partial(artist: SealArtist, detector: SealReader) -> None:
    """A photo lights a sheet unevenly: its foot at 0.72 of the brightest paper, even and
    darker like a desk. A grey seal there whose ring faded at the bottom (70 degrees gone) is
    still whole: the paper round it is as dark as the gap (measured against the page's
    brightest paper it was taken for cut)."""
    spec = SealSpec(name="山西省朔州市公安消防支队")
    cx, cy = 1000, 1900
    r = artist.px(42) / 2
    page = artist.stamped_page([(spec, (cx, cy))], grey=True).astype(np.float32)
    yy, xx = np.mgrid[0 : page.shape[0], 0 : page.shape[1]]
    gap = (np.abs(np.degrees(np.arctan2(xx - cx, yy - cy))) < 35) & (np.hypot(xx - cx, yy - cy) > 0.8 * r) & (
        np.hypot(xx - cx, yy - cy) < 1.1 * r)
    page[gap] = page[100:140, 100:140].reshape(-1, 3).mean(axis=0)
    shade = np.clip(1.0 - 0.28 * (np.arange(page.shape[0]) - 1500) / 400, 0.72, 1.0)
    page = np.clip(page * shade[:, None, None], 0, 255).astype(np.uint8)
    seals = find(detector, page)
    assert len(seals) == 1 and not seals[0].partial, seals


@pytest.mark.parametrize("margin_mm", [0.5, 2.0])
def test_a_seal_picture_cropped_tight_is_whole(artist: SealArtist, detector: SealReader, margin_mm: float) -> None:
    """A seal pasted into a Word file as a picture cropped close round it: just outside the
    outline lies the picture's edge, which is no desk and no page edge."""
    crop = artist.seal_crop(SealSpec(name="山西省忻州市公安消防支队"), margin_mm=margin_mm)
    seals = find(detector, crop, dpi=None)
    assert len(seals) == 1 and not seals[0].partial, seals


def test_a_tilted_grey_oval_with_a_small_star_is_found(detector: SealReader) -> None:
    """A company's oval, tilted, on a 1-bit scan beside the institution's round seal (a generated
    certificate of seed 888, cut to the seals' corner). Its star is as small as the oval is
    narrow: the centre test measured on the long axis found too little ink there and lost it,
    and the certificate read as one without its sponsor's seal."""
    from pathlib import Path

    image = np.asarray(Image.open(Path(__file__).resolve().parent / "pages" / "certificate_sponsor_oval_tilted.png").convert("RGB"))
    found = detector.find_seals(image, page_no=1, dpi=200)
    assert sorted(s.finding.shape for s in found) == ["oval", "round", "round"]
    oval = next(s.finding for s in found if s.finding.shape == "oval")
    assert oval.color == "grey" and 560 < oval.bbox[0] < 620 and 800 < oval.bbox[2] < 860


def test_a_seal_whose_ring_bold_print_crosses_is_whole(detector: SealReader) -> None:
    """The issuing authority's grey seal on a phone photo of a certificate (seed 999), its ring
    broken where the bold signing line and the table's rule cross it. Where the ring goes unseen
    the patch is dark, but dark strokes on paper, not a scanner's even border: the seal is
    whole (it was reported cut by the page edge)."""
    from pathlib import Path

    image = np.asarray(Image.open(Path(__file__).resolve().parent / "pages" / "certificate_seal_over_bold_print.jpg").convert("RGB"))
    found = [s.finding for s in detector.find_seals(image, page_no=1, dpi=200)]
    grey = [s for s in found if s.color == "grey"]
    assert len(grey) == 1 and grey[0].shape == "round"
    assert not grey[0].partial
