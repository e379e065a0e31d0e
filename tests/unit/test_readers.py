"""The readers on real files generated here: images, PDFs (image-only and with a Chinese text layer), DOCX."""

from __future__ import annotations

import importlib.util
import io
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from PIL import Image

from extractors.load import ReadOptions, load_document
from records.errors import InputError, LimitExceeded
from records.models import LoadedDocument, LoadedPage, PageText, TextLine


def _load_filemakers() -> ModuleType:
    """tests/hostile/filemakers.py, loaded by path (the test folders are not packages)."""
    name = "scan_intake_test_filemakers"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "hostile" / "filemakers.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


fm = _load_filemakers()
OPTIONS = ReadOptions()
LOW_DPI = ReadOptions(pdf_render_dpi=72)


def _load(
    path: Path, data: bytes | None = None, *, name: str | None = None, options: ReadOptions = OPTIONS
) -> LoadedDocument:
    if data is not None:
        path.write_bytes(data)
    return load_document(path, declared_name=name or path.name, options=options)


def _text(page: LoadedPage) -> PageText:
    assert page.text is not None, f"page {page.page_no} has no text"
    return page.text


def _box(line: TextLine) -> list[float]:
    assert line.bbox is not None
    return line.bbox


# ---------------------------------------------------------------- options


def test_read_options_defaults_and_frozen() -> None:
    o = ReadOptions()
    assert o.max_bytes == 50 * 1024 * 1024
    assert o.max_pixels_per_page == 60_000_000
    assert (o.max_pages, o.pdf_render_dpi, o.min_text_layer_chars) == (50, 200, 20)
    assert (o.max_docx_inflated_bytes, o.max_docx_entries) == (200 * 1024 * 1024, 2000)
    with pytest.raises(ValueError):
        o.max_pages = 3  # type: ignore[misc]
    with pytest.raises(ValueError):
        ReadOptions(max_pagez=3)  # type: ignore[call-arg]
    assert all(f.description for f in ReadOptions.model_fields.values())


# ---------------------------------------------------------------- images


def test_jpeg(tmp_path: Path) -> None:
    doc = _load(tmp_path / "IMG_20240226_153012.jpg", fm.jpeg_bytes(320, 240, dpi=300))
    assert doc.media_type == "image/jpeg" and doc.declared_media_type is None
    (page,) = doc.pages
    assert (page.page_no, page.width, page.height, page.dpi) == (1, 320, 240, 300)
    assert page.image.shape == (240, 320, 3) and page.image.dtype == np.uint8
    assert page.text is None
    red = page.image[..., 0].astype(int) - page.image[..., 1].astype(int)
    assert (red > 100).any(), "the red seal ring survives decoding"


def test_jpeg_exif_orientation_is_not_applied(tmp_path: Path) -> None:
    im = fm.scan_picture(300, 100)
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    buf = io.BytesIO()
    im.save(buf, format="JPEG", exif=exif)
    (page,) = _load(tmp_path / "phone.jpg", buf.getvalue()).pages
    assert (page.width, page.height) == (300, 100)  # native pixels, not the displayed orientation
    assert page.image.shape == (100, 300, 3)


@pytest.mark.parametrize("mode", ["RGB", "L", "1", "P", "RGBA", "I;16"])
def test_png_modes_become_rgb(tmp_path: Path, mode: str) -> None:
    (page,) = _load(tmp_path / "a.png", fm.png_bytes(200, 150, mode=mode, dpi=200)).pages
    assert page.image.shape == (150, 200, 3) and page.image.dtype == np.uint8
    assert page.dpi == 200
    assert page.image[2, 2].tolist() == [255, 255, 255]  # white paper stays white
    assert page.image[25, 100].max() < 80  # the dark "text" bar stays dark


@pytest.mark.parametrize(
    ("fmt", "mode", "media_type"),
    [
        ("BMP", "RGB", "image/bmp"),
        ("GIF", "P", "image/gif"),
        ("WEBP", "RGB", "image/webp"),
        ("JPEG", "CMYK", "image/jpeg"),
        ("JPEG", "L", "image/jpeg"),
    ],
)
def test_other_raster_formats(tmp_path: Path, fmt: str, mode: str, media_type: str) -> None:
    buf = io.BytesIO()
    fm.scan_picture(120, 90).convert(mode).save(buf, format=fmt)
    doc = _load(tmp_path / f"a.{fmt.lower()}", buf.getvalue())
    assert doc.media_type == media_type
    (page,) = doc.pages
    assert page.image.shape == (90, 120, 3) and page.image.dtype == np.uint8
    assert page.image[2, 2].min() > 200 and page.image[25, 60].max() < 100


def test_transparent_png_is_composited_on_white(tmp_path: Path) -> None:
    (page,) = _load(tmp_path / "seal.png", fm.seal_png_bytes(120)).pages
    assert page.image[60, 60].tolist() == [255, 255, 255]  # transparent centre -> white, not black
    ring = page.image[60, 6]
    assert ring[0] > 200 and ring[1] < 60


def test_multipage_tiff_with_g4_page(tmp_path: Path) -> None:
    path = tmp_path / "scan.tif"
    fm.tiff_three_pages(path)
    with Image.open(path) as im:
        im.seek(2)
        assert im.mode == "1" and im.info.get("compression") == "group4"
    doc = _load(path)
    assert doc.media_type == "image/tiff"
    assert [(p.page_no, p.width, p.height, p.dpi) for p in doc.pages] == [
        (1, 300, 200, 300),
        (2, 240, 320, 300),
        (3, 400, 300, 300),
    ]
    for page in doc.pages:
        assert page.image.shape == (page.height, page.width, 3)
    g4 = doc.pages[2].image
    assert set(np.unique(g4).tolist()) <= {0, 255}
    assert g4[2, 2].tolist() == [255, 255, 255] and g4[25, 100].tolist() == [0, 0, 0]


def test_png_named_pdf_records_the_claim(tmp_path: Path) -> None:
    doc = _load(tmp_path / "自查报告.pdf", fm.png_bytes())
    assert doc.media_type == "image/png"
    assert doc.declared_media_type == "application/pdf"


def test_unknown_extension_claims_nothing(tmp_path: Path) -> None:
    doc = _load(tmp_path / "upload.bin", fm.png_bytes())
    assert doc.declared_media_type is None


def test_pixel_limit_is_checked_from_the_header(tmp_path: Path) -> None:
    with pytest.raises(LimitExceeded) as err:
        _load(tmp_path / "a.jpg", fm.jpeg_bytes(320, 240), options=ReadOptions(max_pixels_per_page=320 * 239))
    assert err.value.limit == "max_pixels_per_page" and "76,480" in str(err.value)


def test_total_pixel_limit_over_pages(tmp_path: Path) -> None:
    path = tmp_path / "scan.tif"
    fm.tiff_three_pages(path)
    with pytest.raises(LimitExceeded) as err:
        _load(path, options=ReadOptions(max_total_pixels=150_000))
    assert err.value.limit == "max_total_pixels"


# ---------------------------------------------------------------- PDF


def test_image_pdf_has_pages_but_no_text(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    fm.image_pdf(path, pages=2, resolution=100.0)  # 400x560 px at 100 dpi = 288x403.2 pt
    doc = _load(path)
    assert doc.media_type == "application/pdf" and len(doc.pages) == 2
    for number, page in enumerate(doc.pages, start=1):
        assert page.page_no == number and page.dpi == 200 and page.text is None
        # 288 x 403.2 pt at 200 dpi (403.2 * 200 / 72 = 1120.0000000000002: no extra pixel)
        assert (page.width, page.height) == (800, 1120)
        assert page.image.shape == (1120, 800, 3)
        assert (page.image[..., 0].astype(int) - page.image[..., 2] > 100).any()  # the red ring is rendered


def test_text_pdf_chinese_lines_and_pixel_boxes(tmp_path: Path) -> None:
    doc = _load(tmp_path / "消防验收意见书.pdf", fm.certificate_pdf())
    (page,) = doc.pages
    assert (page.width, page.height, page.dpi) == (1653, 2339, 200)  # A4 at 200 dpi
    assert page.image.shape == (2339, 1653, 3)
    assert page.text is not None and page.text.origin == "text_layer"
    assert (page.text.width, page.text.height, page.text.dpi, page.text.page_no) == (1653, 2339, 200, 1)
    texts = [line.text for line in page.text.lines]
    assert texts == [
        "建设工程消防验收意见书",
        "阳住建消验字〔2023〕第015号",
        "建设单位：阳泉高级技工学校",
        "工程名称：实训楼",
        "验收结论：合格",
        "Page 1 of 1",
    ]
    assert all(line.confidence == 1.0 for line in page.text.lines)
    # "建设单位" was set at x=72 pt, baseline 690 pt, 14 pt: x0 = 72 * 200/72 = 200 px,
    # the 14 pt line (font bbox 880/-120) spans y = (842-690-14*0.88)..(842-690+14*0.12) pt.
    box = _box(_text(page).lines[2])
    assert box[0] == pytest.approx(200.0, abs=1)
    assert box[1] == pytest.approx((842 - 690 - 14 * 0.88) * 200 / 72, abs=3)
    assert box[3] == pytest.approx((842 - 690 + 14 * 0.12) * 200 / 72, abs=3)
    _assert_ink_in_boxes(page)


def _assert_ink_in_boxes(page: object) -> None:
    """Every text-layer box covers dark pixels of the rendered page (boxes and image agree)."""
    image = page.image  # type: ignore[attr-defined]
    for line in page.text.lines:  # type: ignore[attr-defined]
        x0, y0, x1, y1 = (int(round(v)) for v in line.bbox)
        crop = image[y0 : y1 + 1, x0 : x1 + 1]
        assert crop.size and crop.min() < 128, f"no ink under {line.text!r} at {line.bbox}"


def test_rotated_page_boxes_follow_the_rendered_image(tmp_path: Path) -> None:
    doc = _load(tmp_path / "rot.pdf", fm.certificate_pdf(rotate=90), options=LOW_DPI)
    (page,) = doc.pages
    assert (page.width, page.height) == (842, 595)  # pdfium applied /Rotate 90: landscape
    texts = [line.text for line in _text(page).lines]
    assert "建设单位：阳泉高级技工学校" in texts and "验收结论：合格" in texts
    title = _text(page).lines[0]
    assert title.text == "建设工程消防验收意见书"
    x0, y0, x1, y1 = _box(title)
    assert y1 - y0 > 5 * (x1 - x0)  # the title runs down the rotated page
    assert x0 > 700  # the top of the portrait page is now on the right
    _assert_ink_in_boxes(page)


def test_cropbox_and_mediabox_offsets(tmp_path: Path) -> None:
    data = fm.certificate_pdf(media_box=(50, 100, 645, 942), crop_box=(60, 120, 600, 900))
    (page,) = _load(tmp_path / "crop.pdf", data, options=LOW_DPI).pages
    assert (page.width, page.height) == (540, 780)
    texts = [line.text for line in _text(page).lines]
    assert "Page 1 of 1" not in texts  # printed at y=60, below the crop box: not visible
    line = next(ln for ln in _text(page).lines if ln.text.startswith("建设单位"))
    assert _box(line)[0] == pytest.approx(72 - 60, abs=1)
    _assert_ink_in_boxes(page)


def test_page_with_too_few_chars_is_image_only(tmp_path: Path) -> None:
    # page 2: 24 real chars (the colons do not count), over min_text_layer_chars=20
    data = fm.text_pdf([[fm.TextRun("第1页", 72, 60, 10)], [fm.TextRun("验收结论：合格" * 4, 72, 700)]])
    doc = _load(tmp_path / "few.pdf", data, options=LOW_DPI)
    assert doc.pages[1].text is not None
    # page 1 has a few chars and no picture: in a born-digital document its text layer counts
    assert doc.pages[0].text is not None and doc.pages[0].text.lines[0].text == "第1页"
    # alone, a few chars are no text layer: the page is OCR'd
    doc = _load(tmp_path / "alone.pdf", fm.text_pdf([[fm.TextRun("第1页", 72, 60, 10)]]), options=LOW_DPI)
    assert doc.pages[0].text is None and doc.pages[0].image is not None


def test_last_page_holding_only_the_date_keeps_its_text_layer(tmp_path: Path) -> None:
    """A born-digital report whose last page is just the date (under the seal's picture)."""
    body = [fm.TextRun("特此报告。" * 3, 72, 700), fm.TextRun("临汾市职业技能鉴定站", 300, 660)]
    data = fm.text_pdf([body, [fm.TextRun("2024年2月13日", 300, 760)]])
    doc = _load(tmp_path / "date.pdf", data, options=LOW_DPI)
    assert [ln.text for ln in _text(doc.pages[1]).lines] == ["2024年2月13日"]


def test_a_page_mostly_one_picture_is_a_scan() -> None:
    from types import SimpleNamespace

    from extractors.pdf import _mostly_picture

    def page(*images: tuple[float, float, float, float]) -> SimpleNamespace:
        return SimpleNamespace(width=595, height=842, images=[
            {"x0": a, "top": b, "x1": c, "bottom": d} for a, b, c, d in images])

    assert _mostly_picture(page((0, 0, 595, 842)))  # a scanned page
    assert _mostly_picture(page((-20, -20, 600, 500)))  # bleeding off the page, over half of it
    assert not _mostly_picture(page((300, 600, 420, 720)))  # a seal's picture
    assert not _mostly_picture(page())


def test_owner_password_pdf_is_read_with_a_note(tmp_path: Path) -> None:
    doc = _load(tmp_path / "owner.pdf", fm.certificate_pdf(owner_password="boss"), options=LOW_DPI)
    assert doc.pages[0].text is not None
    assert doc.pages[0].text.lines[0].text == "建设工程消防验收意见书"
    assert any("owner" in note for note in doc.notes)


def test_user_password_pdf_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="encrypted"):
        _load(tmp_path / "locked.pdf", fm.certificate_pdf(user_password="secret"))


def test_pdf_page_limit(tmp_path: Path) -> None:
    data = fm.text_pdf([[] for _ in range(4)])
    with pytest.raises(LimitExceeded) as err:
        _load(tmp_path / "long.pdf", data, options=ReadOptions(max_pages=3))
    assert err.value.limit == "max_pages" and "max_pages=3" in str(err.value)


def test_pdf_streams_inflating_past_the_total_limit(tmp_path: Path) -> None:
    data = fm.flate_bomb_pdf(20, image=True, count=3)  # three 20 MiB images, each under the limit
    options = ReadOptions(max_pdf_image_bytes=30 * 2**20, max_pdf_inflated_bytes=50 * 2**20)
    with pytest.raises(LimitExceeded) as err:
        _load(tmp_path / "three.pdf", data, options=options)
    assert err.value.limit == "max_pdf_inflated_bytes"
    doc = _load(tmp_path / "three.pdf", options=ReadOptions(pdf_render_dpi=36))
    assert len(doc.pages) == 1


def test_pdf_content_stream_bomb(tmp_path: Path) -> None:
    with pytest.raises(LimitExceeded) as err:
        _load(tmp_path / "bomb.pdf", fm.flate_bomb_pdf(40))
    assert err.value.limit == "max_pdf_stream_bytes" and "33,554,432" in str(err.value)


def test_lzw_size_counter_matches_pdfminer() -> None:
    from pdfminer.lzw import lzwdecode

    from extractors.pdf import _lzw_size

    for data in (b"TOBEORNOTTOBEORTOBEORNOT" * 40, bytes(range(256)) * 40, b"\x00" * 50_000):
        encoded = fm.lzw_encode(data)
        assert lzwdecode(encoded) == data
        assert _lzw_size(encoded, 10**9) == len(data)
    early = _lzw_size(fm.lzw_encode(b"\x00" * 50_000), 1000)
    assert early is not None and early > 1000  # stops early past the limit


# ---------------------------------------------------------------- DOCX


def test_docx_text_tables_headers_and_pictures(tmp_path: Path) -> None:
    data = fm.docx_bytes(floating=True, header_picture=True)
    document_xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<wp:anchor" in document_xml and "<wp:inline" in document_xml
    doc = _load(tmp_path / "自查报告.docx", data)
    assert doc.media_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    (page,) = doc.pages
    assert (page.page_no, page.width, page.height, page.dpi, page.image) == (1, 0, 0, None, None)
    assert page.text is not None and page.text.origin == "docx"
    assert all(line.bbox is None for line in page.text.lines)
    assert [line.text for line in page.text.lines] == [
        "阳泉市人力资源和社会保障局",  # header first
        "安全生产整治自查情况报告",
        "一、意识形态方面",
        "建设单位\t阳泉高级技工学校",  # a table row stays one line
        "联系电话\t0353-1234567",
        "二、校园安全：消防通道畅通。",
        "（盖章）",
        "2024年2月26日",
        "第 1 页",  # footer last
    ]
    shapes = [p.shape for p in page.pictures]
    assert shapes == [(120, 160, 3), (120, 120, 3), (40, 60, 3)]  # inline, anchored seal, header
    seal = page.pictures[1]
    assert seal.dtype == np.uint8 and seal[60, 60].tolist() == [255, 255, 255]
    assert seal[60, 6, 0] > 200 and seal[60, 6, 1] < 60


def test_docx_floating_picture_alone_is_found(tmp_path: Path) -> None:
    data = fm.docx_bytes(floating=True, header_picture=False)
    (page,) = _load(tmp_path / "a.docx", data).pages
    assert len(page.pictures) == 2


def test_docx_merged_table_cells_once(tmp_path: Path) -> None:
    from docx import Document

    d = Document()
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "工程名称"
    t.cell(0, 2).text = "实训楼"
    buf = io.BytesIO()
    d.save(buf)
    (page,) = _load(tmp_path / "m.docx", buf.getvalue()).pages
    assert page.text is not None and [ln.text for ln in page.text.lines] == ["工程名称\t实训楼"]


def test_docx_without_text_or_pictures(tmp_path: Path) -> None:
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    (page,) = _load(tmp_path / "empty.docx", buf.getvalue()).pages
    assert page.text is None and page.pictures == []


def test_docx_undecodable_picture_is_noted_not_fatal(tmp_path: Path) -> None:
    data = fm.docx_bytes(floating=False, header_picture=False)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    jpeg_name = next(n for n in names if n.startswith("word/media/") and n.endswith((".jpg", ".jpeg")))
    broken = fm.rewrite_zip(data, {jpeg_name: fm.jpeg_bytes()[:300]})
    doc = _load(tmp_path / "b.docx", broken)
    assert len(doc.pages[0].pictures) == 1
    assert any(jpeg_name in note for note in doc.notes)


def test_legacy_doc_message(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"legacy \.doc is not supported.*\.docx or PDF"):
        _load(tmp_path / "old.doc", bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 1000)


def test_encrypted_office_file_message(tmp_path: Path) -> None:
    data = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(InputError, match="password-protected"):
        _load(tmp_path / "locked.docx", data)
