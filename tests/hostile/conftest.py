"""Generates the hostile upload set at test time (nothing binary is committed).

Each `Case` names a file, how it is made and what `load_document` must make of it: a
LoadedDocument ("ok"), an InputError whose message matches, a LimitExceeded naming a limit,
or "either" (a damaged file that may be repaired or rejected, but must not crash).
"""

from __future__ import annotations

import gzip
import importlib.util
import io
import random
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest


def load_filemakers() -> ModuleType:
    """tests/hostile/filemakers.py, loaded by path (the test folders are not packages)."""
    name = "scan_intake_test_filemakers"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("filemakers.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


fm = load_filemakers()


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], None]
    expect: str  # "ok" | "input" | "limit" | "either"
    detail: str = ""  # regex the InputError message must match, or the LimitExceeded.limit


def _bytes(data: Callable[[], bytes]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(data())

    return write


def _rng_bytes(seed: int, n: int) -> bytes:
    return random.Random(seed).randbytes(n)


def _zip_of(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _docx_with_media(replacement: bytes) -> bytes:
    data = fm.docx_bytes(floating=False, header_picture=False)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    return fm.rewrite_zip(data, {n: replacement for n in names if n.startswith("word/media/")})


def _docx_many_entries() -> bytes:
    data = fm.minimal_docx_bytes()
    return fm.rewrite_zip(data, {f"customXml/item{i}.xml": b"<a/>" for i in range(2100)})


def _utf16_entity_docx() -> bytes:
    xml = fm.ENTITY_BOMB_XML.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return fm.rewrite_zip(fm.minimal_docx_bytes(), {"word/document.xml": xml.encode("utf-16")})


def _tiff_second_page_bomb(path: Path) -> None:
    fm.tiff_many_pages(path, 2)
    path.write_bytes(fm.patch_tiff_frame_size(path.read_bytes(), 1, 40000, 40000))


def _docx_zip_bomb(path: Path) -> None:
    fm.docx_zip_bomb(path, gib=1.0)


CASES: tuple[Case, ...] = (
    Case("empty.pdf", _bytes(lambda: b""), "input", r"empty \(0 bytes\)"),
    Case("random.bin", _bytes(lambda: _rng_bytes(1, 4096)), "input", "unrecognised file type"),
    Case(
        "pdf_header_garbage.pdf",
        _bytes(lambda: b"%PDF-1.7\n" + _rng_bytes(2, 4096)),
        "input",
        "PDF is damaged",
    ),
    Case(
        "pdf_truncated.pdf",
        _bytes(lambda: (d := fm.certificate_pdf())[: len(d) // 2]),
        "input",
        "PDF is damaged",
    ),
    Case("pdf_broken_xref.pdf", _bytes(lambda: fm.break_xref(fm.certificate_pdf())), "either"),
    Case(
        "pdf_encrypted.pdf", _bytes(lambda: fm.certificate_pdf(user_password="secret")), "input", "encrypted"
    ),
    Case(
        "pdf_200in_page.pdf", _bytes(lambda: fm.huge_page_pdf(14400, 14400)), "limit", "max_pixels_per_page"
    ),
    # 4 MB on disk, 4 GiB inflated: pdfium and pdfminer would each inflate it whole.
    Case("pdf_flate_bomb.pdf", _bytes(lambda: fm.flate_bomb_pdf(4096)), "limit", "max_pdf_stream_bytes"),
    Case(
        "pdf_image_bomb.pdf",
        _bytes(lambda: fm.flate_bomb_pdf(2048, image=True)),
        "limit",
        "max_pdf_image_bytes",
    ),
    Case("pdf_51_pages.pdf", _bytes(lambda: fm.text_pdf([[] for _ in range(51)])), "limit", "max_pages"),
    Case(
        "png_pixel_bomb.png", _bytes(lambda: fm.png_pixel_bomb(40000, 40000)), "limit", "max_pixels_per_page"
    ),
    Case("jpeg_truncated.jpg", _bytes(lambda: (d := fm.jpeg_bytes())[: len(d) // 2]), "input", "truncated"),
    Case("jpeg_named.tif", _bytes(lambda: fm.jpeg_bytes()), "ok"),
    Case("tiff_300_pages.tif", lambda p: fm.tiff_many_pages(p, 300), "limit", "max_pages"),
    Case("tiff_page2_bomb.tif", _tiff_second_page_bomb, "limit", "max_pixels_per_page"),
    Case(
        "docx_not_a_zip.docx",
        _bytes(lambda: b"this is not a zip file\n" * 10),
        "input",
        r"name ends in \.docx",
    ),
    Case(
        "docx_truncated.docx",
        _bytes(lambda: (d := fm.docx_bytes())[: len(d) // 2]),
        "input",
        r"not a Word \.docx file",
    ),
    Case("docx_zip_bomb.docx", _docx_zip_bomb, "limit", "max_docx_inflated_bytes"),
    Case(
        "docx_lying_sizes.docx",
        _bytes(lambda: fm.lie_about_sizes(fm.docx_bytes(), "word/document.xml", 10)),
        "input",
        "damaged",
    ),
    Case(
        "docx_entity_bomb.docx",
        _bytes(lambda: fm.rewrite_zip(fm.minimal_docx_bytes(), {"word/document.xml": fm.ENTITY_BOMB_XML})),
        "input",
        "entity declarations",
    ),
    Case(
        "docx_xxe.docx",
        _bytes(lambda: fm.rewrite_zip(fm.minimal_docx_bytes(), {"word/document.xml": fm.XXE_XML})),
        "input",
        "entity declarations",
    ),
    Case("docx_utf16_entity_bomb.docx", _bytes(_utf16_entity_docx), "input", "entity declarations"),
    Case(
        "docx_picture_bomb.docx",
        _bytes(lambda: _docx_with_media(fm.png_pixel_bomb(40000, 40000))),
        "limit",
        "max_pixels_per_page",
    ),
    Case("docx_2100_entries.docx", _bytes(_docx_many_entries), "limit", "max_docx_entries"),
    Case("spreadsheet.docx", _bytes(lambda: _zip_of({"xl/workbook.xml": b"<w/>"})), "input", "Excel"),
    Case("archive.zip", _bytes(lambda: _zip_of({"scan.pdf": fm.certificate_pdf()})), "input", "ZIP archive"),
    Case("archive.pdf.gz", _bytes(lambda: gzip.compress(fm.certificate_pdf())), "input", "gzip"),
    Case("archive.rar", _bytes(lambda: b"Rar!\x1a\x07\x01\x00" + _rng_bytes(3, 512)), "input", "RAR archive"),
    Case("notes.txt", _bytes(lambda: "建设单位：阳泉高级技工学校\n".encode() * 50), "input", "plain-text"),
    Case("page.html", _bytes(lambda: b"<!DOCTYPE html><html><body>404</body></html>"), "input", "HTML"),
    Case("program.exe", _bytes(lambda: b"MZ\x90\x00" + _rng_bytes(4, 2048)), "input", "Windows program"),
    Case(
        "legacy.doc",
        _bytes(lambda: bytes.fromhex("d0cf11e0a1b11ae1") + bytes(1024)),
        "input",
        r"legacy \.doc",
    ),
)


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with every hostile file of `CASES`, generated once per test session."""
    folder = tmp_path_factory.mktemp("hostile")
    for case in CASES:
        case.make(folder / case.name)
    return folder


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize every test that asks for `case` over `CASES`."""
    if "case" in metafunc.fixturenames:
        metafunc.parametrize("case", CASES, ids=[c.name for c in CASES])
