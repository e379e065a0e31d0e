"""Real seal images from public repositories (../shared/realworld, never copied here).

Each image has a JSON sidecar with what a person reads. The table of what the reader gets is
printed (pytest -s, or see the captured output of a failure); the cases it reads correctly are
asserted so a regression fails. Measured when written:

    seal_wuhan_zrzy_ghj.png            武汉市自然资源和规划局    exact
    seal_xiangyang_zrzy_ghj.png        襄阳市自然资源和规划局    exact
    seal_paddleocr_invoice_seal.png    天津君和缘商贸有限公司    exact, sub_text 发票专用章
    real_doc_business_license.jpg      武汉市市场监督管理局      exact; the printed emblem is no seal
    seal_overlap_nanjing_xiecheng.png  南京谐诚机电工程有限公司  found, read 越工程有限公司 (177 px crop,
                                                                 black form text through the glyphs)
    negative_picture_seal_pig.jpg      (a picture)               no seal found
    negative_square_name_seal.jpg      王書文印                  square, read 王画之印 (seal script);
                                                                 never an organisation seal
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from seal_art import REALWORLD

from checks.seals import check_seals, judge_seal
from evaluation import cer
from extractors.seals import SealReader

pytestmark = pytest.mark.slow


def load(name: str) -> tuple[np.ndarray, dict]:  # type: ignore[type-arg]
    import cv2

    path = Path(REALWORLD) / name
    if not path.is_file():
        pytest.fail(f"real-world test image missing: {path} (see ../shared/realworld/README.md)")
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    assert bgr is not None, path
    sidecar = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return np.ascontiguousarray(bgr[:, :, ::-1]), sidecar


def report(name: str, truth: str | None, found: list) -> None:  # type: ignore[type-arg]
    got = [
        (c.finding.shape, c.finding.text, round(c.finding.text_confidence, 3), c.finding.sub_text)
        for c in found
    ]
    print(
        f"\n{name}: truth={truth!r} got={got}"
        + (f" CER={cer(found[0].finding.text if found else None, truth):.2f}" if truth else "")
    )


@pytest.mark.parametrize(
    "name",
    ["seal_wuhan_zrzy_ghj.png", "seal_xiangyang_zrzy_ghj.png", "seal_paddleocr_invoice_seal.png"],
)
def test_real_seal_crops_read_exactly(name: str, seal_reader: SealReader) -> None:
    image, side = load(name)
    truth = side["ground_truth"]["seal_ring_text"]
    found = seal_reader.find_seals(image, page_no=1, dpi=None)
    report(name, truth, found)
    assert len(found) == 1
    f = found[0].finding
    assert f.shape == "round"
    assert f.text == truth
    assert cer(f.text, truth) <= 0.1


def test_invoice_seal_is_a_special_purpose_seal(seal_reader: SealReader) -> None:
    image, _ = load("seal_paddleocr_invoice_seal.png")
    f = seal_reader.find_seals(image, page_no=1, dpi=None)[0].finding
    assert f.sub_text == "发票专用章"
    # Its company's name is on the ring, but a 发票专用章 stands for no role.
    assert judge_seal(f, {"institution_name": "天津君和缘商贸有限公司"})[0] is None


def test_business_license_seal_and_not_the_emblem(seal_reader: SealReader) -> None:
    image, side = load("real_doc_business_license.jpg")
    truth = side["ground_truth"]["seal_ring_text"]
    found = seal_reader.find_seals(image, page_no=1, dpi=None)
    report("real_doc_business_license.jpg", truth, found)
    assert len(found) == side["ground_truth"]["seal_count"] == 1
    f = found[0].finding
    # The seal sits low right over the date; the printed red national emblem is top centre.
    assert f.bbox[0] > 900 and f.bbox[1] > 500
    assert f.text == truth
    assert judge_seal(f, {"issuing_authority": "武汉市市场监督管理局"}) == ("issuing_authority", 1.0)


def test_overlapped_seal_is_found(seal_reader: SealReader) -> None:
    """Found, not read in full: a 177 px crop with black form text through the glyphs."""
    image, side = load("seal_overlap_nanjing_xiecheng.png")
    truth = side["ground_truth"]["seal_ring_text"]
    found = seal_reader.find_seals(image, page_no=1, dpi=None)
    report("seal_overlap_nanjing_xiecheng.png", truth, found)
    assert len(found) == 1 and found[0].finding.shape == "round"


def test_picture_stamp_is_no_official_seal(seal_reader: SealReader) -> None:
    image, _ = load("negative_picture_seal_pig.jpg")
    found = seal_reader.find_seals(image, page_no=1, dpi=None)
    report("negative_picture_seal_pig.jpg", None, found)
    seals = [c.finding for c in found]
    expected = {"institution_name": "天津君和缘商贸有限公司", "sponsor": None, "issuing_authority": None}
    assert all(judge_seal(s, expected)[0] is None for s in seals)
    roles, findings = check_seals(seals, required_roles=["institution_name", "sponsor"], expected=expected)
    assert roles == [None] * len(seals)
    assert {f.code for f in findings} <= {"missing_seal", "seal_mismatch"}
    assert seals == []  # measured: the thick brush ring round a drawing is rejected outright


def test_square_name_seal_is_never_an_organisation_seal(seal_reader: SealReader) -> None:
    image, side = load("negative_square_name_seal.jpg")
    found = seal_reader.find_seals(image, page_no=1, dpi=None)
    report("negative_square_name_seal.jpg", side["ground_truth"]["seal_text"], found)
    assert [c.finding.shape for c in found] == ["square"]
    f = found[0].finding
    assert f.text and f.text.startswith("王")  # 王畫之印 when written: seal script 書/文 read as 畫/之
    assert judge_seal(f, {"institution_name": f.text, "sponsor": "王書文印"}) == (None, 0.0)
    roles, findings = check_seals(
        [f], required_roles=["institution_name"], expected={"institution_name": None}
    )
    assert roles == [None]
    assert [x.code for x in findings] == ["missing_seal"]
