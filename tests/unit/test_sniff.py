"""Sniffing the real type from the first bytes, and the type a file name claims."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from extractors import sniff

DOCX = sniff.DOCX


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"II*\x00\x08\x00\x00\x00", "image/tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "image/tiff"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        (b"\r\n\x00junk from a scanner%PDF-1.4\n", "application/pdf"),
        (b"Rar!\x1a\x07\x01\x00rest", "application/x-rar"),
        (b"Rar!\x1a\x07\x00rest", "application/x-rar"),
        (b"\x1f\x8b\x08\x00\x00\x00", "application/gzip"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04", "application/x-7z-compressed"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "application/msword"),
        (b"GIF89a\x01\x00\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "application/x-msdownload"),
        (b"\x7fELF\x02\x01\x01", "application/x-executable"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00", "image/heic"),
        (b"{\\rtf1\\ansi", "application/rtf"),
        (b"<!DOCTYPE html><html><body>404 Not Found</body></html>", "text/html"),
        (b"  \n<html lang='zh'><head><meta charset='utf-8'>", "text/html"),
        (b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>", "text/html"),
        (b"<?xml version='1.0'?><root/>", "application/xml"),
        ("建设单位：阳泉高级技工学校\n".encode(), "text/plain"),
        ("建设单位：阳泉高级技工学校\r\n".encode("gb18030"), "text/plain"),
        (b"\xef\xbb\xbfname,category\n", "text/plain"),
        ("自查报告".encode("utf-16"), "text/plain"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 20 + b"word/document.xml", DOCX),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 20 + b"a.pdf", "application/zip"),
        (b"", None),
        (b"\x00\x01\x02\x03\x04\x05binary", None),
        (b"BM and then some text", "text/plain"),  # "BM" alone does not make a bitmap
    ],
)
def test_sniff_media_type(head: bytes, expected: str | None) -> None:
    assert sniff.sniff_media_type(head) == expected


def test_bmp_needs_a_plausible_header() -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, format="BMP")
    assert sniff.sniff_media_type(buf.getvalue()) == "image/bmp"


def test_text_cut_inside_a_multibyte_character_is_still_text() -> None:
    data = ("阳泉" * 3000).encode()[: sniff.SNIFF_BYTES]
    assert len(data) == sniff.SNIFF_BYTES
    assert sniff.sniff_media_type(data[:-1]) == "text/plain"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("IMG_20240226_153012.JPG", "image/jpeg"),
        ("扫描全能王 2024-02-23 16.42.pdf", "application/pdf"),
        ("自查报告.docx", DOCX),
        ("C:\\Users\\办公室\\消防验收.tif", "image/tiff"),
        ("inbox/b1/阳泉高级技工学校/scan.TIFF", "image/tiff"),
        ("old.doc", "application/msword"),
        ("archive.zip", "application/zip"),
        ("no_extension", None),
        ("weird.xyz", None),
        (".pdf", None),  # a dot-file, not an extension
    ],
)
def test_media_type_from_name(name: str, expected: str | None) -> None:
    assert sniff.media_type_from_name(name) == expected


def _zip(path: Path, names: list[str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name in names:
            zf.writestr(name, b"<x/>")
    return path


def test_sniff_file_reads_the_zip_directory(tmp_path: Path) -> None:
    # word/document.xml far beyond the first 8 KiB: only the central directory shows it.
    big = ["[Content_Types].xml"] + [f"customXml/item{i}.xml" for i in range(400)] + ["word/document.xml"]
    assert sniff.sniff_file(_zip(tmp_path / "a.docx", big)) == DOCX
    assert sniff.sniff_file(_zip(tmp_path / "b.zip", ["a.pdf", "b.jpg"])) == "application/zip"
    assert sniff.sniff_file(_zip(tmp_path / "c.xlsx", ["xl/workbook.xml"])) == sniff.XLSX
    assert sniff.sniff_file(_zip(tmp_path / "d.ofd", ["OFD.xml", "Doc_0/Document.xml"])) == sniff.OFD


def test_sniff_file_keeps_zip_for_a_damaged_directory(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert sniff.sniff_file(path) == "application/zip"


def test_every_sniffable_type_has_a_description() -> None:
    for media_type in sniff.SUPPORTED_TYPES | {sniff.ZIP, sniff.RAR, sniff.TEXT, sniff.HTML, sniff.MSWORD}:
        assert sniff.describe_media_type(media_type) != media_type
    assert sniff.describe_media_type(None) == "an unrecognised kind of file"
