"""A short fuzz run: random bytes and mutated valid files give a LoadedDocument or an IntakeError."""

from __future__ import annotations

import importlib
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.load import ReadOptions, load_document
from records.errors import IntakeError
from records.models import LoadedDocument

# conftest.py (imported by pytest before this module) registered filemakers under this name.
fm = importlib.import_module("scan_intake_test_filemakers")
# Small limits keep each example cheap; the guards are what is being exercised.
OPTIONS = ReadOptions(pdf_render_dpi=36, max_pixels_per_page=4_000_000, max_pages=10)


def _seeds() -> dict[str, bytes]:
    tiff = io.BytesIO()
    fm.scan_picture(64, 48).save(tiff, format="TIFF", compression="tiff_lzw")
    with tempfile.TemporaryDirectory() as folder:
        pdf_path = Path(folder) / "img.pdf"
        fm.image_pdf(pdf_path, pages=1, resolution=300.0)
        image_pdf = pdf_path.read_bytes()
    return {
        "jpg": fm.jpeg_bytes(64, 48),
        "png": fm.png_bytes(64, 48),
        "tif": tiff.getvalue(),
        "text.pdf": fm.certificate_pdf(),
        "image.pdf": image_pdf,
        "docx": fm.docx_bytes(floating=True, header_picture=False),
    }


SEEDS = _seeds()


@st.composite
def mutated_files(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[kind])
    for _ in range(draw(st.integers(0, 8))):
        pos = draw(st.integers(0, len(data) - 1))
        data[pos] ^= 1 << draw(st.integers(0, 7))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    if draw(st.integers(0, 9)) == 0:  # splice in a run of random bytes
        pos = draw(st.integers(0, len(data)))
        data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
    return kind, bytes(data)


@pytest.fixture(scope="module")
def fuzz_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        yield Path(folder)


def _check(folder: Path, name: str, data: bytes) -> None:
    path = folder / name
    path.write_bytes(data)
    try:
        result = load_document(path, declared_name=name, options=OPTIONS)
    except IntakeError:
        return
    assert isinstance(result, LoadedDocument)
    for page in result.pages:
        if page.image is not None:
            assert page.image.dtype.name == "uint8" and page.image.shape == (page.height, page.width, 3)


@settings(
    max_examples=170,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the work tree
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(sample=mutated_files())
def test_mutated_valid_files(fuzz_dir: Path, sample: tuple[str, bytes]) -> None:
    kind, data = sample
    _check(fuzz_dir, f"mutated.{kind}", data)


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.binary(max_size=4096), name=st.sampled_from(["a.pdf", "b.jpg", "c.docx", "d.tif", "e"]))
def test_random_bytes(fuzz_dir: Path, data: bytes, name: str) -> None:
    _check(fuzz_dir, name, data)
