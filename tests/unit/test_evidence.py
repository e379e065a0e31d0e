"""The seal evidence image a reviewer opens: the crop, with the ring strip that was read beneath."""

from __future__ import annotations

import cv2
import numpy as np

from extractors.seals import SealCrop
from flows.document import _evidence
from records.models import SealFinding


def _decode(png: bytes) -> np.ndarray:
    return cv2.imdecode(np.frombuffer(png, dtype=np.uint8), cv2.IMREAD_COLOR)


def test_evidence_stacks_the_unwarped_strip_under_the_crop() -> None:
    crop = np.full((120, 100, 3), (200, 30, 30), dtype=np.uint8)
    strip = np.zeros((30, 400), dtype=np.uint8)  # grey strip, four times as wide as the crop
    img = _decode(_evidence(SealCrop(finding=SealFinding(page_no=1, bbox=[0, 0, 100, 120]), crop=crop, strip=strip)))
    assert img.shape[1] == 100
    assert img.shape[0] == 120 + 6 + 8  # crop, white gap, strip scaled to the crop's width
    assert img[-1].max() == 0 and tuple(img[0, 0]) == (30, 30, 200)  # BGR on disk


def test_evidence_without_a_strip_is_the_crop_alone() -> None:
    crop = np.full((50, 60, 3), 255, dtype=np.uint8)
    img = _decode(_evidence(SealCrop(finding=SealFinding(page_no=1, bbox=[0, 0, 60, 50]), crop=crop)))
    assert img.shape[:2] == (50, 60)
