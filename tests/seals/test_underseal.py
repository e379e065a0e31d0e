"""Body text under a grey seal (a photocopied original) is read again with the seal taken out.

A page of printed text gets a seal drawn by the sample generator, inked in the grey a copier
makes of red ink, stamped over the signing body and the date at the foot. The first OCR pass
cannot drop grey ink by colour; `reread_under_seals` must bring the date back.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from records.models import SealFinding
from samples.generator.layouts import font
from samples.generator.seal_render import GREY_INK, SealStyle, render_seal, stamp

DATE = "二〇二四年二月十五日"
BODY = "大同市云冈区弘毅职业培训学校"


def _page(seed: int, *, strength: float, paragraph: bool = True) -> tuple[np.ndarray, list[float]]:
    """A4 at 200 dpi: a paragraph, the signing body and the date, a grey seal over both; without
    the paragraph (a report's last page), the signing block at the top."""
    img = Image.new("RGB", (1654, 2339), (246, 245, 240))
    d = ImageDraw.Draw(img)
    f = font("song", 40)
    for i, line in enumerate(("我校按照通知要求开展了安全生产整治自查，", "现将自查情况报告如下，特此报告。") if paragraph else ()):
        d.text((200, 400 + 70 * i), line, font=f, fill=(20, 20, 20))
    top = 780 if paragraph else 280
    d.text((860, top), BODY, font=f, fill=(20, 20, 20))
    d.text((980, top + 70), DATE, font=f, fill=(20, 20, 20))
    page = np.array(img)
    layer = render_seal(SealStyle(shape="round", text=BODY, color=GREY_INK, strength=strength, rotation=8.0),
                        np.random.default_rng(seed))
    outline = stamp(page, layer, 930, top - 130)
    box = [float(outline[:, 0].min()), float(outline[:, 1].min()), float(outline[:, 0].max()), float(outline[:, 1].max())]
    grey = (0.299 * page[..., 0] + 0.587 * page[..., 1] + 0.114 * page[..., 2]).astype(np.uint8)
    return np.repeat(grey[:, :, None], 3, axis=2), box


def _has_date(text: str) -> bool:
    return DATE in text.replace(" ", "").replace("O", "〇").replace("○", "〇")


# Seeds whose first pass misreads the date (三〇… for 二〇…) or reads ring glyphs as a body line.
@pytest.mark.parametrize("seed", [2, 3])
def test_date_under_grey_seal_is_read_again(ocr_engine, seed: int) -> None:  # type: ignore[no-untyped-def]
    image, box = _page(seed, strength=0.95)
    first = ocr_engine.read_page(image, page_no=1, dpi=200)
    seal = SealFinding(page_no=1, bbox=box, shape="round", color="grey")
    again = ocr_engine.reread_under_seals(image, first, [seal])
    assert _has_date(again.text), again.text
    assert BODY in again.text.split("\n")
    # The seal's own ring text is no body line.
    assert "网区弘毅职" not in again.text.split("\n")


def test_a_page_scanned_turned_gets_its_seal_and_the_date_under_it_read_upright(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The same page fed to the scanner sideways: the seal is found, and the date under it read
    again, on the page set upright; every box comes back in the file's own frame."""
    from flows.document import DocumentPipeline
    from flows.settings import Settings
    from records.rules import default_rules_dir, load_rules

    image, box = _page(2, strength=0.95)
    turned = np.ascontiguousarray(np.rot90(image, 1))  # counter-clockwise: the page lies on its side
    path = tmp_path / "turned.png"
    Image.fromarray(turned).save(path)
    settings = Settings()
    pipe = DocumentPipeline(settings.pipeline_options(), load_rules(default_rules_dir(), settings.campaign))
    out = pipe.read_document(path, declared_name=path.name)
    (page,) = out.pages
    assert page.rotation == 270 and (page.width, page.height) == (turned.shape[1], turned.shape[0])
    assert _has_date(page.text), page.text
    (seal,) = [s for s in out.seals if s.color == "grey"]
    # the seal's box in the turned file: the upright box turned the same way
    want = [box[1], image.shape[1] - 1 - box[2], box[3], image.shape[1] - 1 - box[0]]
    assert seal.bbox == pytest.approx(want, abs=25), (seal.bbox, want)
    date_line = next(ln for ln in page.lines if _has_date(ln.text))
    x0, y0, x1, y1 = date_line.bbox  # type: ignore[misc]
    assert y1 - y0 > x1 - x0  # in the file's frame the date runs down the page


def _one_bit_page(seed: int) -> tuple[np.ndarray, list[float]]:
    """The signing block of a report, small print, on a 1-bit scan (the generator's own
    binarisation: paper white, print black, the grey seal error-diffused into dots)."""
    from samples.generator.scan_effects import _to_mode

    img = Image.new("RGB", (1654, 2339), (246, 245, 240))
    d = ImageDraw.Draw(img)
    f = font("song", 26)
    lines = ("根据《关于开展安全生产整治行动的通知》（晋人社厅发〔2024〕9号），", "现将自查情况报告如下，特此报告。",
             "联系人：王明　联系电话：0351-4231281")
    for i, line in enumerate(lines):
        d.text((200, 400 + 70 * i), line, font=f, fill=(20, 20, 20))
    d.text((880, 790), BODY, font=f, fill=(20, 20, 20))
    d.text((980, 850), DATE, font=f, fill=(20, 20, 20))
    page = np.array(img)
    layer = render_seal(SealStyle(shape="round", text=BODY, color=GREY_INK, strength=0.95, rotation=8.0),
                        np.random.default_rng(seed))
    outline = stamp(page, layer, 930, 650)
    box = [float(outline[:, 0].min()), float(outline[:, 1].min()), float(outline[:, 0].max()), float(outline[:, 1].max())]
    bw = np.asarray(_to_mode(page, "bw", np.random.default_rng(seed)).convert("L"))
    return np.repeat(bw[:, :, None], 3, axis=2), box


# Seeds where the detector finds no line at all on the date under the seal (measured). On
# seed 2 the star lies on 二月 and the row reads 三月: the date is kept, flagged for a person.
@pytest.mark.parametrize(("seed", "exact"), [(2, False), (3, True)])
def test_a_date_row_the_detector_missed_under_a_one_bit_seal_is_found_by_its_ink(ocr_engine, seed: int, exact: bool) -> None:  # type: ignore[no-untyped-def]
    from extractors.fields import REPAIRED_DATE_CONFIDENCE, build_rows, find_foot_date

    image, box = _one_bit_page(seed)
    first = ocr_engine.read_page(image, page_no=1, dpi=200)
    assert not any("月" in ln.text for ln in first.lines if ln.bbox and ln.bbox[1] > 820), first.text
    seal = SealFinding(page_no=1, bbox=box, shape="round", color="grey")
    again = ocr_engine.reread_under_seals(image, first, [seal])
    found = [ln for ln in again.lines if "月十五日" in ln.text]
    assert found and all(ln.beliefs for ln in found), again.text  # a row read by its ink, beliefs kept
    hit = find_foot_date(build_rows([ocr_engine.keep_beliefs_under_seals(image, again, [box])]))
    assert hit is not None and hit.value[:4] == "2024", hit
    if exact:
        assert hit.value == "2024-02-15", hit
    else:
        assert hit.value == "2024-02-15" or hit.confidence <= REPAIRED_DATE_CONFIDENCE, hit


# Seeds where the first pass reads a piece of the date under the seal (十五) and nothing else.
@pytest.mark.parametrize("seed", [1, 4])
def test_a_date_read_in_part_under_a_one_bit_seal_is_decoded_from_its_whole_row(ocr_engine, seed: int) -> None:  # type: ignore[no-untyped-def]
    from extractors.fields import REPAIRED_DATE_CONFIDENCE, build_rows, find_foot_date

    image, box = _one_bit_page(seed)
    first = ocr_engine.read_page(image, page_no=1, dpi=200)
    assert not any("月" in ln.text for ln in first.lines if ln.bbox and ln.bbox[1] > 820), first.text
    seal = SealFinding(page_no=1, bbox=box, shape="round", color="grey")
    again = ocr_engine.keep_beliefs_under_seals(image, ocr_engine.reread_under_seals(image, first, [seal]), [box])
    hit = find_foot_date(build_rows([again]))
    assert hit is not None and hit.value[:4] == "2024", again.text
    assert hit.value == "2024-02-15" or hit.confidence <= REPAIRED_DATE_CONFIDENCE, hit


def _toner_page(seed: int) -> tuple[np.ndarray, list[float]]:
    """A report's last page photographed from a photocopy: a line of text, the contact line,
    and the signing body and date inside a seal whose toner is as dark as the print (no tone
    tells them apart), the whole softened as a phone camera does."""
    import cv2

    img = Image.new("RGB", (1654, 2339), (246, 245, 240))
    d = ImageDraw.Draw(img)
    f = font("song", 34)
    d.text((300, 400), "联系人：王明　联系电话：0351-4231281", font=f, fill=(30, 30, 30))
    d.text((200, 600), "（晋人社厅发〔2024〕9号）", font=f, fill=(30, 30, 30))
    d.text((800, 2200), "-2-", font=f, fill=(30, 30, 30))
    d.text((850, 250), BODY, font=f, fill=(30, 30, 30))
    d.text((930, 305), DATE, font=f, fill=(30, 30, 30))
    page = np.array(img)
    layer = render_seal(SealStyle(shape="round", text=BODY, color=(70, 70, 72), strength=0.95, rotation=8.0),
                        np.random.default_rng(seed))
    outline = stamp(page, layer, 900, 170)
    box = [float(outline[:, 0].min()), float(outline[:, 1].min()), float(outline[:, 0].max()), float(outline[:, 1].max())]
    grey = cv2.GaussianBlur((0.299 * page[..., 0] + 0.587 * page[..., 1] + 0.114 * page[..., 2]).astype(np.float32), (0, 0), 1.0)
    return np.repeat(np.clip(grey, 0, 255).astype(np.uint8)[:, :, None], 3, axis=2), box


# Seeds where neither the first pass, nor the reread with the seal's tone taken out, nor the
# rows found by ink give a date (measured); the seal's neighbourhood seen close does.
@pytest.mark.parametrize("seed", [1, 6])
def test_a_date_inside_a_seal_as_dark_as_the_print_is_found_by_looking_close(ocr_engine, seed: int) -> None:  # type: ignore[no-untyped-def]
    from extractors.fields import build_rows, find_foot_date

    image, box = _toner_page(seed)
    first = ocr_engine.read_page(image, page_no=1, dpi=200)
    assert find_foot_date(build_rows([first])) is None, first.text
    seal = SealFinding(page_no=1, bbox=box, shape="round", color="grey")
    again = ocr_engine.keep_beliefs_under_seals(image, ocr_engine.reread_under_seals(image, first, [seal]), [box])
    hit = find_foot_date(build_rows([again]))
    assert hit is not None and hit.value == "2024-02-15", again.text


# Seeds where the last page alone gives no date (measured: 三〇二四年… with no text away from
# the seal to measure the print's tone on, the seal is left as it is).
@pytest.mark.parametrize("seed", [1, 4])
def test_a_last_page_with_no_print_away_from_its_seal_takes_the_print_s_tone_from_the_pages_before(
        tmp_path, ocr_engine, seed: int) -> None:  # type: ignore[no-untyped-def]
    """A report's last page holds only the signing body and the date under a grey seal: no line
    away from the seal shows the print's tone, so nothing tells the seal's ink from the print.
    The page before, of the same scan, does: the date is read."""
    from flows.document import DocumentPipeline
    from flows.settings import Settings
    from records.rules import default_rules_dir, load_rules

    body = Image.new("L", (1654, 2339), 245)
    d = ImageDraw.Draw(body)
    for i, line in enumerate(("我校按照通知要求开展了安全生产整治自查，", "现将自查情况报告如下，特此报告。",
                              "一、高度重视，精心组织", "二、全面排查，不留死角")):
        d.text((200, 400 + 70 * i), line, font=font("song", 40), fill=20)
    last, box = _page(seed, strength=0.95, paragraph=False)
    first = ocr_engine.read_page(last, page_no=2, dpi=200)
    seal = SealFinding(page_no=2, bbox=box, shape="round", color="grey")
    assert not _has_date(ocr_engine.reread_under_seals(last, first, [seal]).text)  # alone
    path = tmp_path / "report.tif"
    body.save(path, save_all=True, append_images=[Image.fromarray(last[..., 0])], dpi=(200, 200))
    settings = Settings()
    pipe = DocumentPipeline(settings.pipeline_options(), load_rules(default_rules_dir(), settings.campaign))
    out = pipe.read_document(path, declared_name=path.name)
    assert len(out.pages) == 2 and [s.page_no for s in out.seals if s.color == "grey"] == [2]
    assert _has_date(out.pages[1].text), out.pages[1].text


PAGES = Path(__file__).resolve().parent / "pages"


def test_a_date_across_the_seal_s_own_ring_glyphs_is_read_close(ocr_engine, seal_reader) -> None:  # type: ignore[no-untyped-def]
    """The last page of a report, a phone photo of a photocopy (from a generated corpus):
    the signing body and 2024年2月18日 inside a seal as dark as the print. The first pass reads
    the body and pieces of the ring (通达, 学校) but not the date; seen close, the detector finds
    the date, whose row the ring piece 学校 crosses. That piece is the seal's own text, no print
    to weigh the date's reading against: the date is read."""
    from extractors.fields import build_rows, find_foot_date

    image = np.asarray(Image.open(PAGES / "report_foot_toner_seal.png").convert("RGB"))
    first = ocr_engine.read_page(image, page_no=1, dpi=200)
    assert find_foot_date(build_rows([first])) is None, first.text
    seals = [sc.finding for sc in seal_reader.find_seals(image, page_no=1, dpi=200)]
    assert [s.color for s in seals] == ["grey"]
    again = ocr_engine.keep_beliefs_under_seals(image, ocr_engine.reread_under_seals(image, first, seals), [seals[0].bbox])
    hit = find_foot_date(build_rows([again]))
    assert hit is not None and hit.value == "2024-02-18", again.text
    assert "学校" not in again.text.split("\n") and "吕梁市离有区通达职业培训学校" in again.text.split("\n")


def test_pieces_of_the_ring_text_are_told_from_print_under_the_seal() -> None:
    from extractors.underseal import SealArea, ring_pieces
    from records.models import TextLine

    area = SealArea(cx=1129, cy=352, rx=161, ry=161)
    ring = "吕梁市离石区通达职培学校"

    def line(text: str, box: list[float]) -> TextLine:
        return TextLine(text=text, bbox=box, confidence=1.0)

    lines = [
        line("学校", [1176, 352, 1278, 464]),  # in the ring band, inside the seal, in the ring text
        line("通达", [1083, 203, 1224, 275]),
        line("吕梁市离石区通达职业培训学校", [841, 245, 1416, 315]),  # the signing body: a whole line
        line("2024年2月18日", [1089, 330, 1388, 379]),  # print through the middle
        line("职培", [1100, 330, 1160, 370]),  # ring glyphs, but in the seal's middle
        line("学院", [1176, 352, 1278, 464]),  # not the ring's glyphs
    ]
    assert ring_pieces(lines, area, ring) == [True, True, False, False, False, False]
    assert ring_pieces(lines, area, None) == [False] * len(lines)
