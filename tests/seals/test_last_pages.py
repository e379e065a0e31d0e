"""A report's last page: the signing body's seal and the date, little else (generated pages of
seed 888 photographed and scanned, kept as fixtures). The page's detector, seeing the whole
page, can find nothing there; the pipeline must still read the date."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from samples.generator.layouts import font

PAGES = Path(__file__).resolve().parent / "pages"


def _load(name: str) -> np.ndarray:
    return np.asarray(Image.open(PAGES / name).convert("RGB"))


def _date_in(text: str) -> bool:
    return bool(re.search(r"[0-9〇一二三四五六七八九十]{2,}年[0-9〇一二三四五六七八九十]{1,3}月", text))


def test_a_red_seal_on_a_page_with_no_line_is_looked_at_close(ocr_engine, seal_reader) -> None:  # type: ignore[no-untyped-def]
    """A phone photo of a last page: 二〇二四年三月二十六日 across the institution's red seal,
    nothing else. The first pass finds no line at all; looked at close, the seal's rows give
    the date."""
    image = _load("report_last_page_red_seal_only.jpg")
    first = ocr_engine.read_page(image, page_no=3, dpi=200)
    assert not _date_in(first.text)
    seals = [sc.finding for sc in seal_reader.find_seals(image, page_no=3, dpi=200)]
    assert [s.color for s in seals] == ["red"]
    again = ocr_engine.reread_under_seals(image, first, seals)
    assert "二〇二四年三月二十六日" in again.text.replace(" ", ""), again.text


def test_a_red_seal_whose_rows_hold_no_date_is_looked_at_close(ocr_engine, seal_reader) -> None:  # type: ignore[no-untyped-def]
    """A scanned last page (seed 444): the signing body 潞安技师学院 and 2024年02月18日 across the
    red seal, nothing else. The first pass finds the name but not the date under it; the seal's
    rows hold no line with a numeral, so they are looked at close, and the date is read."""
    image = _load("report_last_page_red_seal_name_found_date_lost.jpg")
    first = ocr_engine.read_page(image, page_no=3, dpi=200)
    assert "潞安技师学院" in first.text and not _date_in(first.text)
    seals = [sc.finding for sc in seal_reader.find_seals(image, page_no=3, dpi=200)]
    assert [s.color for s in seals] == ["red"]
    again = ocr_engine.reread_under_seals(image, first, seals)
    assert "2024年02月18日" in again.text.replace(" ", ""), again.text
    assert again.text.count("潞安技师学院") == 1


def test_small_print_on_a_page_where_nothing_was_found_is_read_in_halves(ocr_engine) -> None:  # type: ignore[no-untyped-def]
    """A phone photo of a report's last page from afar (seed 444): a personal seal and the date
    2024年3月27日 beside it, small, on a page shrunk to the detector's limit: the whole page shows
    the detector nothing. Each half at full size shows the date, read once."""
    image = _load("report_last_page_small_date_photo.jpg")
    whole = ocr_engine._run(np.ascontiguousarray(ocr_engine._prepared(image)))
    assert not whole
    page = ocr_engine.read_page(image, page_no=2, dpi=200)
    dates = [ln for ln in page.lines if _date_in(ln.text)]
    assert [ln.text for ln in dates] == ["2024年3月27日"]
    x0, y0, x1, y1 = dates[0].bbox
    assert 1000 < x0 < x1 < 1300 and 350 < y0 < y1 < 450  # in the page's own pixels


def test_a_bare_last_page_is_read_the_way_the_pages_before_it_lie(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A report scanned upside down: its last page holds only the date under a grey seal, which
    the detector does not find either way up, so the page alone cannot tell its way up. Read
    after a page that was read turned, it is read turned too, and the date is read."""
    from extractors.fields import build_rows, extract_fields
    from flows.document import DocumentPipeline
    from flows.settings import Settings
    from records.rules import default_rules_dir, load_rules

    settings = Settings()
    rules = load_rules(default_rules_dir(), settings.campaign)
    pipe = DocumentPipeline(settings.pipeline_options(), rules)
    last = Image.open(PAGES / "report_last_page_upside_down.jpg").convert("L")
    alone = pipe.ocr.read_page(np.asarray(last.convert("RGB")), page_no=2, dpi=200)
    assert alone.rotation == 0 and not _date_in(alone.text)

    body = Image.new("L", last.size, 245)
    d = ImageDraw.Draw(body)
    for i, line in enumerate(("关于安全生产整治行动自查情况的报告", "太原市人力资源和社会保障局：",
                              "根据晋人社厅发〔2024〕9号文件要求，我校开展了安全生产整治自查，", "现将自查情况报告如下，特此报告。",
                              "一、意识形态工作", "二、办学条件达标方面", "三、校园安全方面")):
        d.text((200, 300 + 80 * i), line, font=font("song", 44), fill=20)
    path = tmp_path / "report.tif"
    body.rotate(180).save(path, save_all=True, append_images=[last], dpi=(200, 200))
    out = pipe.read_document(path, declared_name=path.name)
    assert [p.rotation for p in out.pages] == [180, 180]
    rows = [r for r in build_rows(out.pages) if r.page == 2]
    assert rows and any(r.beliefs for r in rows)
    fields = extract_fields(out.pages, rules.doctypes["self_inspection_report"])
    assert str(fields["report_date"].value) == "2024-02-29"
