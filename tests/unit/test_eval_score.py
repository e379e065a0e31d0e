"""The accuracy scorer (`intake eval`): hand-built truth + results, hand-computed numbers."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

try:
    import evaluation  # noqa: F401
except ModuleNotFoundError:  # editable install made before evaluation/ existed
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from evaluation import render_markdown, render_text
from evaluation.score import (
    NONE_LABEL,
    EvalReport,
    cer,
    evaluate,
    iou,
    levenshtein,
    normalize_text,
    values_equal,
)
from records.models import DocumentResult

A = "a" * 64
B = "b" * 64
C = "c" * 64
D = "d" * 64
E = "e" * 64

SEV = {
    "late_submission": "warning",
    "missing_seal": "error",
    "unknown_doc_type": "warning",
    "hazards_outstanding": "warning",
    "media_type_mismatch": "info",
    "unreadable": "error",
}


def _truths() -> list[dict[str, Any]]:
    return [
        {
            "key": "阳泉市消防/验收意见书.pdf",
            "document_id": A,
            "institution": "阳泉高级技工学校",
            "media_type": "application/pdf",
            "pages": 1,
            "doc_type": "fire_acceptance_certificate",
            "status": "flagged",
            "fields": {
                "document_number": "阳住建消验字〔2023〕第015号",
                "issuing_authority": "阳泉市住房和城乡建设局",
                "building_area_m2": 8460.25,
                "acceptance_conclusion": "合格",
                "issue_date": "2023-12-15",
            },
            "seals": [
                {
                    "page": 1,
                    "bbox": [100, 100, 300, 300],
                    "shape": "round",
                    "text": "阳泉市住房和城乡建设局",
                    "role": "issuing_authority",
                    "partial": False,
                },
                {
                    "page": 1,
                    "bbox": [400, 100, 600, 300],
                    "shape": "round",
                    "text": "阳泉市教育局",
                    "role": "sponsor",
                    "partial": False,
                },
            ],
            "finding_codes": ["late_submission"],
            "case": "late",
        },
        {
            "key": "阳泉高级技工学校/自查报告.pdf",
            "document_id": B,
            "institution": "阳泉高级技工学校",
            "doc_type": "self_inspection_report",
            "status": "passed",
            "fields": {
                "institution_name": "阳泉高级技工学校",
                "areas_covered": ["ideology", "campus_safety"],
                "hazards_found": 12,
                "hazards_rectified": 12,
                "report_date": "2024-02-20",
            },
            "seals": [
                {
                    "page": 1,
                    "bbox": [50, 500, 250, 700],
                    "shape": "round",
                    "text": "阳泉高级技工学校",
                    "role": "institution_name",
                    "partial": False,
                },
            ],
            "finding_codes": [],
            "case": "clean",
        },
        {
            "key": "某学校/照片.jpg",
            "document_id": C,
            "institution": "某学校",
            "doc_type": "unknown",
            "status": "flagged",
            "fields": {},
            "seals": [],
            "finding_codes": ["unknown_doc_type"],
            "case": "photo",
        },
        {
            "key": "某学校/扫描全能王 2024-02-23.pdf",
            "document_id": D,
            "institution": "某学校",
            "doc_type": "fire_acceptance_certificate",
            "status": "flagged",
            "fields": {"document_number": "阳住建消验字〔2023〕第016号", "issue_date": "2023-12-16"},
            "seals": [
                {
                    "page": 1,
                    "bbox": [0, 0, 100, 100],
                    "shape": "round",
                    "text": "阳泉市住房和城乡建设局",
                    "role": "issuing_authority",
                    "partial": False,
                }
            ],
            "finding_codes": ["missing_seal"],
            "case": "no sponsor seal",
        },
    ]


def _result(truth: dict[str, Any], **over: Any) -> dict[str, Any]:
    """A contract-valid result that agrees with `truth`; `over` replaces top-level keys."""
    findings = [{"code": c, "severity": SEV[c], "field": None, "message": c} for c in truth["finding_codes"]]
    doc = {
        "schema_version": "1",
        "document_id": truth["document_id"],
        "batch_id": "b1",
        "source": {
            "key": "inbox/b1/" + truth["key"],
            "sha256": truth["document_id"],
            "media_type": "application/pdf",
            "bytes": 10,
            "pages": 1,
        },
        "pages": [{"page": 1, "width": 1654, "height": 2339, "dpi": 200}],
        "status": truth["status"],
        "doc_type": truth["doc_type"],
        "doc_type_confidence": 0.9,
        "fields": {k: {"value": v, "confidence": 0.9, "source": "ocr"} for k, v in truth["fields"].items()},
        "seals": [
            {
                "page": s["page"],
                "bbox": s["bbox"],
                "shape": s["shape"],
                "text": s["text"],
                "text_confidence": 0.9,
                "matches": s["role"],
            }
            for s in truth["seals"]
        ],
        "findings": findings,
        "review": None,
    }
    doc.update(over)
    DocumentResult.model_validate(doc)  # the fixtures themselves must honour the contract
    return doc


def _write(d: Path, name: str, obj: Any) -> None:
    d.mkdir(parents=True, exist_ok=True)
    data = obj if isinstance(obj, bytes) else json.dumps(obj, ensure_ascii=False).encode()
    (d / name).write_bytes(data)


@pytest.fixture()
def truth_dir(tmp_path: Path) -> Path:
    d = tmp_path / "truth"
    for t in _truths():
        _write(d, f"{t['document_id']}.json", t)
    _write(d, "manifest.json", {"documents": 4, "seed": 1})
    return d


def _finding(code: str, severity: str | None = None) -> dict[str, Any]:
    return {"code": code, "severity": severity or SEV[code], "field": None, "message": code}


# ---------------------------------------------------------------- helpers


def test_levenshtein() -> None:
    assert levenshtein("", "") == 0
    assert levenshtein("abc", "") == 3
    assert levenshtein("", "abc") == 3
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein("flaw", "lawn") == 2
    assert levenshtein("阳泉高级技工学校", "阳泉高级技工学核") == 1
    assert levenshtein("阳泉市教育局", "泉市教育局局") == 2
    assert levenshtein("abc", "abc") == 0
    assert levenshtein("ab", "ba") == 2  # no transpositions


def test_cer() -> None:
    assert cer("阳泉高级技工学核", "阳泉高级技工学校") == pytest.approx(1 / 8)
    assert cer(" 阳泉 市教育局\n", "阳泉市教育局") == 0.0  # whitespace ignored
    assert cer("ＡＢＣ", "ABC") == 0.0  # NFKC: full-width letters
    assert cer(None, "abcd") == 1.0
    assert cer("", "abcd") == 1.0
    assert cer("abcdefgh", "abcd") == 1.0  # four insertions / four chars
    assert cer("xxxxxxxxxx", "ab") == 5.0  # not capped
    with pytest.raises(ValueError):
        cer("abc", " \n")


def test_iou() -> None:
    assert iou([0, 0, 10, 10], [0, 0, 10, 10]) == 1.0
    assert iou([0, 0, 10, 10], [20, 20, 30, 30]) == 0.0
    assert iou([0, 0, 10, 10], [10, 0, 20, 10]) == 0.0  # touching edges
    assert iou([0, 0, 10, 10], [5, 0, 15, 10]) == pytest.approx(50 / 150)
    assert iou([0, 0, 10, 10], [2, 2, 8, 8]) == pytest.approx(36 / 100)
    assert iou([400, 100, 600, 300], [550, 100, 750, 300]) == pytest.approx(10000 / 70000)
    assert iou([0, 0, 0, 0], [0, 0, 0, 0]) == 0.0  # empty union
    assert iou([0, 0, 10, 10], [5, 5, 15, 15]) == iou([5, 5, 15, 15], [0, 0, 10, 10])


def test_values_equal() -> None:
    assert values_equal("阳住建消验字〔2023〕第015号", " 阳住建消验字〔2023〕 第015号\n")
    assert values_equal("ABC１２３", "ABC123")  # NFKC
    assert not values_equal("合格", "不合格")
    assert values_equal(8460.25, 8460.254)
    assert values_equal(8460.25, 8460.26)  # |diff| = 0.01 is within tolerance
    assert not values_equal(8460.25, 8460.27)
    assert not values_equal(8460.25, 8460)
    assert values_equal(12, 12) and not values_equal(12, 13)
    assert values_equal(12, 12.0)  # an int-valued float equals the int
    assert not values_equal(12, 12.005)  # an int truth is exact; a float truth gets ±0.01
    assert not values_equal(12, "12")  # types must agree
    assert not values_equal("12", 12)
    assert not values_equal(12, True)
    assert values_equal(["ideology", "campus_safety"], ["campus_safety", "ideology"])
    assert values_equal(["ideology"], ["ideology", "ideology"])  # sets
    assert not values_equal(["ideology", "campus_safety"], ["ideology"])
    assert not values_equal(["ideology"], "ideology")
    assert not values_equal(1.0, float("nan"))
    assert normalize_text(" a\u3000b\tc\n") == "abc"


# ---------------------------------------------------------------- perfect set


def test_perfect_results_score_one_everywhere(truth_dir: Path, tmp_path: Path) -> None:
    res = tmp_path / "results"
    for t in _truths():
        _write(res, f"{t['document_id']}.json", _result(t))
    _write(res, "summary.json", {"batch_id": "b1", "objects": []})

    r = evaluate(truth_dir, res)

    assert isinstance(r, EvalReport)
    d = r.documents
    assert (d.truth, d.matched, d.missing, d.unparseable, d.extra, d.ignored) == (4, 4, 0, 0, 0, 1)
    assert d.result_files == 4 and d.results_found == 4 and d.summary_json is True
    assert d.ignored_files == ["manifest.json"]
    assert d.accounted_for == 1.0
    assert r.doc_type.accuracy == 1.0 and r.status.accuracy == 1.0
    assert r.doc_type.confusion["fire_acceptance_certificate"]["fire_acceptance_certificate"] == 2
    assert r.status.confusion["flagged"]["flagged"] == 3
    m = r.fields.micro
    assert (m.tp, m.fp, m.fn, m.precision, m.recall, m.f1) == (12, 0, 0, 1.0, 1.0, 1.0)
    assert all(p.f1 == 1.0 for p in r.fields.per_field.values())
    assert r.fields.per_doc_type["unknown"].micro.f1 is None  # nothing to measure there
    assert r.seals.detection.f1 == 1.0 and r.seals.truth == 4 and r.seals.predicted == 4
    assert r.seals.text_exact_rate == 1.0 and r.seals.mean_cer == 0.0 and r.seals.role_accuracy == 1.0
    assert r.findings.recall == 1.0 and r.findings.spurious == 0 and r.findings.spurious_per_20_docs == 0.0
    assert [t.met for t in r.targets] == [True] * 7 and r.all_targets_met
    assert r.diffs == []

    dumped = r.model_dump(mode="json")
    assert list(dumped) == [
        "report_version",
        "truth_dir",
        "results_dir",
        "documents",
        "doc_type",
        "status",
        "fields",
        "seals",
        "findings",
        "targets",
        "diffs",
    ]
    json.dumps(dumped)  # JSON-serialisable
    assert EvalReport.model_validate(dumped) == r  # round-trips
    assert "7/7 met" in render_text(r)
    assert "# Accuracy" in render_markdown(r)


# ---------------------------------------------------------------- damaged set


@pytest.fixture()
def damaged(truth_dir: Path, tmp_path: Path) -> EvalReport:
    ta, tb, tc, _td = _truths()
    res = tmp_path / "results"

    # A: issuing_authority wrong, acceptance_conclusion missing, project_name extra, area within 0.01;
    #    sponsor seal shifted (IoU 1/7 < 0.3), authority seal right text (extra spaces) but wrong role;
    #    late_submission missed, missing_seal spurious. Status flagged == truth.
    fa = dict(_result(ta)["fields"])
    fa["issuing_authority"] = {"value": "阳泉市公安消防支队", "confidence": 0.8, "source": "ocr"}
    fa["building_area_m2"] = {"value": 8460.254, "confidence": 0.8, "source": "ocr"}
    del fa["acceptance_conclusion"]
    fa["project_name"] = {"value": "实训楼", "confidence": 0.8, "source": "ocr"}
    ra = _result(
        ta,
        fields=fa,
        seals=[
            {
                "page": 1,
                "bbox": [102, 98, 305, 298],
                "shape": "round",
                "text": " 阳泉市住房和 城乡建设局 ",
                "text_confidence": 0.9,
                "matches": "sponsor",
            },
            {
                "page": 1,
                "bbox": [550, 100, 750, 300],
                "shape": "round",
                "text": "阳泉市教育局",
                "text_confidence": 0.9,
                "matches": "sponsor",
            },
        ],
        findings=[_finding("missing_seal")],
    )
    # B: hazards_found wrong, areas reordered (right), seal text 1 char off; a warning makes it
    #    flagged (truth passed) and spurious; an info finding is not spurious.
    fb = dict(_result(tb)["fields"])
    fb["hazards_found"] = {"value": 11, "confidence": 0.8, "source": "ocr"}
    fb["areas_covered"] = {"value": ["campus_safety", "ideology"], "confidence": 0.8, "source": "ocr"}
    seal_b = dict(_result(tb)["seals"][0], text="阳泉高级技工学核")
    rb = _result(
        tb,
        fields=fb,
        seals=[seal_b],
        status="flagged",
        findings=[_finding("hazards_outstanding"), _finding("media_type_mismatch")],
    )
    # C: doc_type wrong, the rest right.
    rc = _result(tc, doc_type="self_inspection_report")
    # D: no result at all. E: a result with no truth. Plus an unparseable stray file.
    te = dict(ta, document_id=E, key="x/extra.pdf")
    for doc in (ra, rb, rc, _result(te)):
        _write(res, f"{doc['document_id']}.json", doc)
    _write(res, "garbage.json", b"{not json")
    _write(res, "summary.json", {"whatever": True})
    _write(res, "seal-crop.png", b"\x89PNG\r\n\x1a\n")
    return evaluate(truth_dir, res)


def test_damaged_documents(damaged: EvalReport) -> None:
    d = damaged.documents
    assert (d.truth, d.result_files, d.results_found, d.matched) == (4, 5, 4, 3)
    assert (d.missing, d.unparseable, d.extra, d.duplicates, d.ignored) == (1, 1, 1, 0, 1)
    assert d.accounted_for == 0.75
    assert d.missing_ids == [D] and d.extra_ids == [E]
    assert d.unparseable_files[0].file == "garbage.json" and d.unparseable_files[0].document_id is None


def test_damaged_labels(damaged: EvalReport) -> None:
    dt = damaged.doc_type
    assert (dt.correct, dt.total, dt.accuracy) == (2, 4, 0.5)
    assert dt.confusion["unknown"]["self_inspection_report"] == 1
    assert dt.confusion["fire_acceptance_certificate"][NONE_LABEL] == 1
    assert dt.confusion["fire_acceptance_certificate"]["fire_acceptance_certificate"] == 1
    st = damaged.status
    assert (st.correct, st.total, st.accuracy) == (2, 4, 0.5)
    assert st.confusion["passed"]["flagged"] == 1
    assert st.confusion["flagged"][NONE_LABEL] == 1
    assert st.confusion["flagged"]["flagged"] == 2


def test_damaged_fields(damaged: EvalReport) -> None:
    f = damaged.fields
    # A: tp 3 (number, area, date), fp 2 (authority wrong, project_name extra), fn 2 (authority, conclusion)
    # B: tp 4, fp 1, fn 1 (hazards_found). D (missing): fn 2. Total tp 7, fp 3, fn 5.
    assert (f.micro.tp, f.micro.fp, f.micro.fn) == (7, 3, 5)
    assert f.micro.precision == pytest.approx(0.7)
    assert f.micro.recall == pytest.approx(7 / 12)
    assert f.micro.f1 == pytest.approx(14 / 22)
    fire = f.per_doc_type["fire_acceptance_certificate"].micro
    assert (fire.tp, fire.fp, fire.fn, fire.f1) == (3, 2, 4, pytest.approx(0.5))
    selfi = f.per_doc_type["self_inspection_report"].micro
    assert (selfi.tp, selfi.fp, selfi.fn, selfi.f1) == (4, 1, 1, pytest.approx(0.8))
    assert f.per_doc_type["unknown"].micro.f1 is None
    pf = f.per_field
    assert (pf["document_number"].tp, pf["document_number"].fn, pf["document_number"].recall) == (1, 1, 0.5)
    assert (pf["issuing_authority"].tp, pf["issuing_authority"].fp, pf["issuing_authority"].fn) == (0, 1, 1)
    assert pf["issuing_authority"].f1 == 0.0
    assert (pf["acceptance_conclusion"].fn, pf["acceptance_conclusion"].precision) == (1, None)
    assert (pf["project_name"].fp, pf["project_name"].recall, pf["project_name"].f1) == (1, None, 0.0)
    assert pf["building_area_m2"].f1 == 1.0 and pf["areas_covered"].f1 == 1.0
    assert (pf["hazards_found"].fp, pf["hazards_found"].fn) == (1, 1)


def test_damaged_seals(damaged: EvalReport) -> None:
    s = damaged.seals
    # truth 4 (A 2, B 1, D 1); predicted 3 (A 2, B 1, E not scored); matched: A authority, B.
    assert (s.truth, s.predicted) == (4, 3)
    assert (s.detection.tp, s.detection.fp, s.detection.fn) == (2, 1, 2)
    assert s.detection.precision == pytest.approx(2 / 3)
    assert s.detection.recall == pytest.approx(0.5)
    assert s.detection.f1 == pytest.approx(4 / 7)
    assert (s.text_pairs, s.text_exact, s.text_exact_rate) == (2, 1, 0.5)
    assert s.mean_cer == pytest.approx((0 + 1 / 8) / 2)
    assert (s.role_pairs, s.role_correct, s.role_accuracy) == (2, 1, 0.5)


def test_damaged_findings(damaged: EvalReport) -> None:
    f = damaged.findings
    assert (f.truth_codes, f.found, f.documents_scored) == (3, 1, 3)
    assert f.recall == pytest.approx(1 / 3)
    assert f.spurious == 2
    assert f.spurious_per_20_docs == pytest.approx(40 / 3)
    pc = f.per_code
    assert set(pc) == {"late_submission", "unknown_doc_type", "missing_seal", "hazards_outstanding"}
    late = pc["late_submission"]
    assert (late.truth, late.found, late.recall) == (1, 0, 0.0)
    assert (pc["unknown_doc_type"].found, pc["unknown_doc_type"].recall) == (1, 1.0)
    assert (pc["missing_seal"].truth, pc["missing_seal"].found, pc["missing_seal"].spurious) == (1, 0, 1)
    ho = pc["hazards_outstanding"]
    assert (ho.truth, ho.recall, ho.spurious) == (0, None, 1)


def test_damaged_targets_and_diffs(damaged: EvalReport) -> None:
    measured = {t.name: (t.measured, t.met) for t in damaged.targets}
    assert measured["doc_type accuracy"] == (0.5, False)
    assert measured["accounted for"] == (0.75, False)
    assert measured["seal ring text exact"] == (0.5, False)
    assert not damaged.all_targets_met

    diffs = damaged.diffs
    assert [x.document_id for x in diffs] == [D, A, B, C]  # missing first, then by issue count
    assert diffs[0].result == "missing" and diffs[0].issues == 2 + 2 + 1 + 1
    a = diffs[1]
    assert a.issues == 8 and a.doc_type is None and a.status is None
    assert {(x.field, x.kind) for x in a.fields} == {
        ("issuing_authority", "wrong"),
        ("acceptance_conclusion", "missing"),
        ("project_name", "extra"),
    }
    assert a.missed_findings == ["late_submission"] and a.spurious_findings == ["missing_seal"]
    assert sorted(x.kind for x in a.seals) == ["missed", "role", "spurious"]
    b = diffs[2]
    assert b.status is not None and (b.status.truth, b.status.got) == ("passed", "flagged")
    assert [(x.field, x.truth, x.got) for x in b.fields] == [("hazards_found", 12, 11)]
    assert [(x.kind, x.truth, x.got) for x in b.seals] == [("text", "阳泉高级技工学校", "阳泉高级技工学核")]
    assert b.spurious_findings == ["hazards_outstanding"]
    c = diffs[3]
    assert c.issues == 1 and c.doc_type is not None and c.doc_type.got == "self_inspection_report"

    text = render_text(damaged, max_diffs=2)
    assert "result missing" in text and "issuing_authority" in text
    assert "阳泉高级技工学核" not in text  # third diff cut by max_diffs
    assert "(showing 2)" in text
    md = render_markdown(damaged)
    assert "| doc_type accuracy | ≥ 0.99 | 0.500 | NO |" in md
    assert "阳泉高级技工学核" in md


# ---------------------------------------------------------------- bad inputs


BAD_FILES: dict[str, bytes] = {
    "not json": b'{"document_id": ',
    "json list": b"[1, 2, 3]",
    "json null": b"null",
    "json string": b'"hello"',
    "empty": b"",
    "whitespace": b"  \n ",
    "binary": bytes(range(256)) * 4,
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "bad utf8": b'{"document_id": "\xff\xfe"}',
    "nan": b'{"document_id": NaN}',
}


def _bad_objects() -> dict[str, Any]:
    t = _truths()[0]
    good = _result(t)
    wrong_types = dict(good, status=5, fields=[1, 2], seals="none")
    missing_keys = {"document_id": t["document_id"]}
    bad_seal = dict(good, seals=[{"page": 0, "bbox": [1, 2], "shape": "hexagon"}])
    bad_field = dict(good, fields={"x": {"value": {"nested": 1}, "confidence": 3}})
    bad_code = dict(good, findings=[{"code": "no_such_code", "severity": "error", "message": "m"}])
    contradiction = dict(good, status="passed")  # findings say flagged
    bad_id = dict(good, document_id="not-a-sha")
    inverted_bbox = dict(good, seals=[dict(good["seals"][0], bbox=[300, 300, 100, 100])])
    return {
        "wrong types": wrong_types,
        "missing keys": missing_keys,
        "bad seal": bad_seal,
        "bad field": bad_field,
        "bad code": bad_code,
        "status contradicts findings": contradiction,
        "bad document_id": bad_id,
        "inverted bbox": inverted_bbox,
    }


@pytest.mark.parametrize("case", [*BAD_FILES, *_bad_objects()])
def test_bad_result_file_is_unparseable(case: str, truth_dir: Path, tmp_path: Path) -> None:
    res = tmp_path / "results"
    data = BAD_FILES.get(case)
    if data is None:
        data = json.dumps(_bad_objects()[case], ensure_ascii=False).encode()
    _write(res, f"{A}.json", data)
    for t in _truths()[1:]:
        _write(res, f"{t['document_id']}.json", _result(t))

    r = evaluate(truth_dir, res)

    d = r.documents
    assert (d.unparseable, d.missing, d.matched, d.extra, d.results_found) == (1, 0, 3, 0, 3)
    assert d.unparseable_files[0].file == f"{A}.json" and d.unparseable_files[0].document_id == A
    assert d.unparseable_files[0].error
    assert d.accounted_for == 0.75
    assert r.doc_type.confusion["fire_acceptance_certificate"][NONE_LABEL] == 1
    # A is scored all-wrong: its 5 fields, 2 seals and 1 finding code are misses
    assert r.fields.micro.fn == 5 and r.fields.micro.fp == 0
    assert r.seals.detection.fn == 2
    assert r.findings.per_code["late_submission"].found == 0
    assert r.diffs[0].document_id == A and r.diffs[0].result == "unparseable"
    assert "unparseable" in render_text(r) and render_markdown(r)


def test_many_bad_files_at_once_and_odd_truth(tmp_path: Path) -> None:
    truth = tmp_path / "truth"
    res = tmp_path / "results"
    ts = _truths()
    for t in ts:
        _write(truth, f"{t['document_id']}.json", t)
    _write(truth, "manifest.json", [1, 2])
    _write(truth, "broken.json", b"\x00\x01")
    _write(truth, "README.md", b"# corpus")
    _write(truth, "dup.json", ts[0])  # same document_id twice: ignored, noted
    # a truth document with odd contents must not crash either
    _write(
        truth,
        "odd.json",
        {
            "document_id": "f" * 64,
            "fields": "x",
            "seals": [None, {"bbox": "?"}],
            "finding_codes": [1, "missing_seal"],
            "doc_type": None,
        },
    )
    (truth / "subdir").mkdir()
    for i, (name, data) in enumerate(BAD_FILES.items()):
        _write(res, f"bad{i}.json", data)
    for name, obj in _bad_objects().items():
        _write(res, f"{name.replace(' ', '_')}.json", obj)
    (res / "dir.json").mkdir()

    r = evaluate(truth, res)

    d = r.documents
    assert d.truth == 5 and d.ignored == 4 and len(d.notes) == 1
    assert d.unparseable == len(BAD_FILES) + len(_bad_objects())
    assert (d.matched, d.missing, d.results_found) == (0, 5, 0)
    assert d.accounted_for == 0.0
    # the odd truth: 2 seals (one without a usable bbox), one valid code, doc_type "(missing)"
    assert r.seals.truth == 4 + 2
    assert r.findings.truth_codes == 3 + 1
    assert r.doc_type.confusion["(missing)"][NONE_LABEL] == 1
    assert r.seals.text_exact_rate is None and r.seals.mean_cer is None
    assert r.fields.micro.precision is None and r.fields.micro.recall == 0.0 and r.fields.micro.f1 == 0.0
    assert not any(t.met for t in r.targets)
    assert render_text(r) and render_markdown(r)


def test_duplicate_and_misnamed_results(truth_dir: Path, tmp_path: Path) -> None:
    res = tmp_path / "results"
    ts = _truths()
    for t in ts:
        _write(res, f"{t['document_id']}.json", _result(t))
    _write(res, "copy.json", _result(ts[0], doc_type="unknown"))  # same id again, misnamed
    r = evaluate(truth_dir, res)
    assert r.documents.duplicates == 1 and r.documents.matched == 4
    assert r.doc_type.accuracy == 1.0  # the first (sorted by file name) wins: "aaa…" < "copy"
    assert any("duplicate" in n for n in r.documents.notes)


def test_empty_results_dir_and_missing_dirs(truth_dir: Path, tmp_path: Path) -> None:
    res = tmp_path / "results"
    res.mkdir()
    r = evaluate(truth_dir, res)
    assert r.documents.missing == 4 and r.documents.accounted_for == 0.0
    assert r.doc_type.accuracy == 0.0 and r.findings.recall == 0.0
    assert r.findings.spurious_per_20_docs is None  # no document scored
    assert len(r.diffs) == 4 and all(x.result == "missing" for x in r.diffs)
    with pytest.raises(FileNotFoundError):
        evaluate(tmp_path / "nope", res)
    with pytest.raises(FileNotFoundError):
        evaluate(truth_dir, tmp_path / "nope")


def test_seal_matching_is_greedy_by_iou_and_page_aware(tmp_path: Path) -> None:
    t = {
        "key": "k",
        "document_id": A,
        "doc_type": "unknown",
        "status": "flagged",
        "fields": {},
        "finding_codes": ["unknown_doc_type"],
        "seals": [
            {"page": 1, "bbox": [0, 0, 100, 100], "text": "甲", "role": None},
            {"page": 1, "bbox": [60, 0, 160, 100], "text": "乙", "role": "null"},
            {"page": 2, "bbox": [0, 0, 100, 100], "text": "丙", "role": None},
        ],
    }
    truth = tmp_path / "truth"
    _write(truth, f"{A}.json", t)
    seals = [
        # overlaps truth 0 (IoU 2/3) and truth 1 (IoU 3/7)
        {
            "page": 1,
            "bbox": [20, 0, 120, 100],
            "shape": "round",
            "text": "甲",
            "text_confidence": 0.9,
            "matches": None,
        },
        # overlaps truth 1 (IoU 9/11) and truth 0 (IoU 3/17 < 0.3)
        {
            "page": 1,
            "bbox": [70, 0, 170, 100],
            "shape": "round",
            "text": "乙",
            "text_confidence": 0.9,
            "matches": None,
        },
        # the box of truth 2, but on page 3: never matches
        {
            "page": 3,
            "bbox": [0, 0, 100, 100],
            "shape": "round",
            "text": "丙",
            "text_confidence": 0.9,
            "matches": None,
        },
    ]
    doc = {
        "schema_version": "1",
        "document_id": A,
        "batch_id": "b",
        "source": {"key": "k", "sha256": A, "media_type": "image/png", "bytes": 1, "pages": 3},
        "status": "flagged",
        "doc_type": "unknown",
        "doc_type_confidence": 0.5,
        "seals": seals,
        "findings": [_finding("unknown_doc_type")],
    }
    res = tmp_path / "results"
    _write(res, f"{A}.json", doc)
    r = evaluate(truth, res)
    s = r.seals
    assert (s.detection.tp, s.detection.fp, s.detection.fn) == (2, 1, 1)
    assert (s.text_pairs, s.text_exact) == (2, 2)
    assert s.role_accuracy == 1.0  # "null" role in truth == matches None


def test_greedy_match_takes_the_best_iou_first() -> None:
    from types import SimpleNamespace

    from evaluation.score import _match_seals, _TruthSeal

    truth = [
        _TruthSeal({"page": 1, "bbox": [0, 0, 100, 100]}),
        _TruthSeal({"page": 1, "bbox": [50, 0, 150, 100]}),
    ]
    # one prediction overlapping both truths: IoU 0.8182 with truth 1 beats 0.4286 with truth 0
    got = [SimpleNamespace(page=1, bbox=[60, 0, 160, 100])]
    assert [(i, j) for i, j, _ in _match_seals(truth, got)] == [(1, 0)]
    # greedy, not optimal: the first prediction takes truth 0 (IoU 0.905), leaving the second
    # (IoU 0.25 with truth 1 < 0.3) unmatched although a swap would not help either
    got = [SimpleNamespace(page=1, bbox=[5, 0, 105, 100]), SimpleNamespace(page=1, bbox=[110, 0, 210, 100])]
    assert [(i, j) for i, j, _ in _match_seals(truth, got)] == [(0, 0)]
    assert _match_seals([_TruthSeal({"bbox": None})], got) == []


def test_seals_of_a_word_file_are_paired_by_their_text() -> None:
    """Each seal of a Word file is a picture of its own, its box in the picture's coordinates:
    boxes near the origin that overlap whichever way they are paired. The text decides."""
    from types import SimpleNamespace

    from evaluation.score import _match_seals, _TruthSeal

    truth = [
        _TruthSeal({"page": 1, "bbox": [0, 0, 453, 453], "text": "晋中市公安消防支队"}),
        _TruthSeal({"page": 1, "bbox": [0, 0, 416, 416], "text": "山西弘毅人力资源服务有限公司"}),
    ]
    got = [SimpleNamespace(page=1, bbox=[53.7, 53.7, 399.2, 399.2], text="晋中市公安消防支队"),
           SimpleNamespace(page=1, bbox=[36.9, 36.9, 379.1, 379.1], text="山西弘毅人力资源服务有限公")]
    assert sorted((i, j) for i, j, _ in _match_seals(truth, got)) == [(0, 0), (1, 1)]


# ---------------------------------------------------------------- seals by colour and shape


def _seal_doc(doc_id: str, seals: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "schema_version": "1",
        "document_id": doc_id,
        "batch_id": "b",
        "source": {"key": doc_id[:4], "sha256": doc_id, "media_type": "image/png", "bytes": 1, "pages": 2},
        "status": "flagged",
        "doc_type": "unknown",
        "doc_type_confidence": 0.5,
        "seals": seals,
        "findings": [_finding("unknown_doc_type")],
    }


def _got(
    page: int, bbox: list[int], text: str | None, shape: str = "round", matches: str | None = None
) -> dict[str, Any]:
    return {
        "page": page,
        "bbox": bbox,
        "shape": shape,
        "text": text,
        "text_confidence": 0.9,
        "matches": matches,
    }


def _truth_seal(
    page: int, bbox: list[int], text: str, color: str, shape: str = "round", role: str | None = None
) -> dict[str, Any]:
    return {"page": page, "bbox": bbox, "text": text, "color": color, "shape": shape, "role": role}


@pytest.fixture()
def by_colour(tmp_path: Path) -> EvalReport:
    """Hand-made: A = a colour scan (2 red seals), B = a grey scan (2 grey seals + 1 spurious),
    C = a photocopy scanned in colour (1 red, 1 grey, + 1 spurious on a page without seals),
    D = a grey document whose result is missing."""
    truth, res = tmp_path / "truth", tmp_path / "results"
    base = {"doc_type": "unknown", "status": "flagged", "fields": {}, "finding_codes": ["unknown_doc_type"]}
    sq = [0, 0, 100, 100]
    far = [500, 500, 600, 600]
    docs = {
        A: (
            [
                _truth_seal(1, sq, "阳泉市教育局", "red", role="issuing_authority"),
                _truth_seal(1, far, "太原市第一技工学校", "red", shape="oval", role="institution_name"),
            ],
            [
                _got(1, sq, "阳泉市教育局", matches="issuing_authority"),
                _got(1, far, "太原市第一技工学", shape="oval", matches="institution_name"),
            ],
        ),
        B: (
            [
                _truth_seal(1, sq, "长治技师学院", "grey"),
                _truth_seal(2, sq, "冯慧敏", "grey", shape="square"),
            ],
            # the square is missed; a spurious round seal lands on page 2 (grey page: counted grey)
            [_got(1, sq, "长治技师学院"), _got(2, far, None)],
        ),
        C: (
            [_truth_seal(1, sq, "晋中市人社局", "red"), _truth_seal(1, far, "晋中市公安消防支队", "grey")],
            # both found; one more on page 2, which has no truth seals and the document mixes colours
            [
                _got(1, sq, "晋中市人社局"),
                _got(1, far, "晋中市公安消防支队", matches="sponsor"),
                _got(2, sq, "某某"),
            ],
        ),
        D: ([_truth_seal(1, sq, "阳泉市第二技工学校", "grey")], None),
    }
    for doc_id, (seals, got) in docs.items():
        _write(truth, f"{doc_id}.json", dict(base, key=doc_id[:4], document_id=doc_id, seals=seals))
        if got is not None:
            _write(res, f"{doc_id}.json", _seal_doc(doc_id, got))
    return evaluate(truth, res)


def test_seal_recall_text_and_role_by_colour(by_colour: EvalReport) -> None:
    s = by_colour.seals
    assert (s.detection.tp, s.detection.fp, s.detection.fn) == (5, 2, 2)
    red, grey = s.by_color["red"], s.by_color["grey"]
    assert sorted(s.by_color) == ["grey", "red"]
    assert (red.truth, red.matched, red.recall) == (3, 3, 1.0)
    assert (grey.truth, grey.matched, grey.recall) == (4, 2, 0.5)  # B's square and D's missing result
    assert (red.text_pairs, red.text_exact) == (3, 2)
    assert red.mean_cer == pytest.approx((0 + 1 / 9 + 0) / 3)
    assert (grey.text_pairs, grey.text_exact, grey.mean_cer) == (2, 2, 0.0)
    assert (red.role_pairs, red.role_correct) == (3, 3)
    assert (grey.role_pairs, grey.role_correct, grey.role_accuracy) == (2, 1, 0.5)  # C's grey seal: sponsor


def test_seal_precision_by_colour_attributes_false_positives(by_colour: EvalReport) -> None:
    s = by_colour.seals
    red, grey = s.by_color["red"], s.by_color["grey"]
    # matched seals count as their truth colour; B's spurious seal is grey (B has grey seals only);
    # C's spurious seal is on a page without truth seals in a mixed document: unattributed
    assert (red.predicted, red.correct, red.precision) == (3, 3, 1.0)
    assert (grey.predicted, grey.correct) == (3, 2)
    assert grey.precision == pytest.approx(2 / 3)
    assert s.unattributed_fp == 1
    assert s.detection.precision == pytest.approx(5 / 7)
    assert "without a colour" in s.color_precision_from


def test_seal_scores_by_shape(by_colour: EvalReport) -> None:
    sh = by_colour.seals.by_shape
    assert sorted(sh) == ["oval", "round", "square"]
    assert (sh["square"].truth, sh["square"].matched, sh["square"].recall) == (1, 0, 0.0)
    assert (sh["square"].predicted, sh["square"].precision) == (0, None)  # nothing predicted: no measure
    assert (sh["oval"].truth, sh["oval"].matched, sh["oval"].text_exact_rate) == (1, 1, 0.0)
    assert (sh["round"].truth, sh["round"].matched) == (5, 4)
    assert (sh["round"].predicted, sh["round"].correct) == (6, 4)  # both spurious seals are round


def test_seal_targets_of_issue_4(by_colour: EvalReport) -> None:
    t = {x.metric: x for x in by_colour.seals.targets}
    assert t["seals.by_color.red.recall"].met and t["seals.by_color.red.recall"].target == 0.99
    assert not t["seals.by_color.grey.recall"].met and t["seals.by_color.grey.recall"].measured == 0.5
    assert not t["seals.detection.precision"].met
    assert t["seals.role_accuracy"].measured == pytest.approx(4 / 5)
    # the headline targets are unchanged (7 of them), and the JSON keeps its keys
    assert len(by_colour.targets) == 7
    dumped = by_colour.model_dump(mode="json")
    assert {"truth", "predicted", "detection", "text_exact_rate", "mean_cer", "role_accuracy"} <= set(
        dumped["seals"]
    )
    assert dumped["seals"]["by_color"]["grey"]["recall"] == 0.5
    assert EvalReport.model_validate(dumped) == by_colour


def test_seal_breakdown_absent_colour_and_the_rendering(tmp_path: Path, by_colour: EvalReport) -> None:
    md = render_markdown(by_colour)
    assert "### Seal targets of issue 4 (1/5 met)" in md
    assert "### By seal colour" in md and "### By seal shape" in md
    assert "| grey | 4 | 2 | 0.500 | 3 | 0.667 | 1.000 (2/2) | 0.0000 | 0.500 (1/2) |" in md
    assert "1 such false positive(s)" in md
    text = render_text(by_colour)
    assert "seal targets (1/5 met)" in text and "by colour:" in text
    # truth without colours (older corpora): one "unknown" group; a colour target is not met
    truth, res = tmp_path / "t2", tmp_path / "r2"
    _write(
        truth,
        f"{E}.json",
        {
            "key": "k",
            "document_id": E,
            "doc_type": "unknown",
            "status": "flagged",
            "fields": {},
            "finding_codes": [],
            "seals": [{"page": 1, "bbox": [0, 0, 9, 9]}],
        },
    )
    _write(res, f"{E}.json", _seal_doc(E, [_got(1, [0, 0, 9, 9], "x")]))
    r = evaluate(truth, res)
    assert list(r.seals.by_color) == ["unknown"] and r.seals.by_color["unknown"].recall == 1.0
    red = next(x for x in r.seals.targets if x.metric == "seals.by_color.red.recall")
    assert red.measured is None and not red.met


def test_seal_colour_from_results_that_carry_it() -> None:
    """Results with seals[].color: precision by colour uses the result's own colour, and says so."""
    from evaluation.score import _result_seal_colour

    class Got:
        page, color = 1, "grey"

    assert _result_seal_colour(Got(), [], None) == "grey"


def test_a_seal_cut_by_the_page_edge_is_scored_on_what_it_shows(tmp_path: Path) -> None:
    """Only part of a cut seal's ring is on the page: reading that part right (a run of the
    truth text) is right, a guess at the rest or a slip is not; whole seals alone make the
    ring text exact rate."""
    truth, res = tmp_path / "truth", tmp_path / "results"
    base = {"doc_type": "unknown", "status": "flagged", "fields": {}, "finding_codes": ["unknown_doc_type"]}
    cut = dict(_truth_seal(1, [0, 0, 100, 100], "临汾华晋技工学校", "grey"), partial=True)
    cut2 = dict(_truth_seal(1, [500, 500, 600, 600], "山西弘毅教育咨询有限公司", "red"), partial=True)
    whole = _truth_seal(2, [0, 0, 100, 100], "临汾市住房和城乡建设局", "red")
    docs = {
        "a" * 64: ([cut, cut2, whole], [_got(1, [0, 0, 100, 100], "临汾华晋"), _got(1, [500, 500, 600, 600], "山西霞教育"),
                                        _got(2, [0, 0, 100, 100], "临汾市住房和城乡建设局")]),
        "b" * 64: ([cut], [_got(1, [0, 0, 100, 100], "晋")]),  # one glyph says nothing
    }
    for doc_id, (seals, got) in docs.items():
        _write(truth, f"{doc_id}.json", dict(base, key=doc_id[:4], document_id=doc_id, seals=seals))
        _write(res, f"{doc_id}.json", _seal_doc(doc_id, got))
    s = evaluate(truth, res).seals
    assert (s.text_pairs, s.text_exact) == (1, 1)
    assert (s.partial_text_pairs, s.partial_text_visible) == (3, 1)
    assert s.by_color["grey"].text_pairs == 0


def test_a_low_confidence_warning_on_something_read_wrong_is_warranted_not_spurious(truth_dir: Path, tmp_path: Path) -> None:
    """A truth never lists low_confidence (what OCR misreads is not in the document): a warning
    that asks a person to check a value or seal that was indeed read wrong is warranted; one on a
    value read right is a false alarm. The strict figure counts both."""
    t = {x["document_id"]: x for x in _truths()}
    res = tmp_path / "results"
    # A: issue date misread and flagged (warranted)
    a = _result(t[A])
    a["fields"]["issue_date"]["value"] = "2023-12-05"
    a["findings"].append({"code": "low_confidence", "severity": "warning", "field": "issue_date", "message": "x"})
    # B: report date read right yet flagged (spurious)
    b = _result(t[B], status="flagged", findings=[
        {"code": "low_confidence", "severity": "warning", "field": "report_date", "message": "x"}])
    # D: a seal finding on the page of a misread seal (warranted), the sponsor seal is missing anyway
    d = _result(t[D])
    d["seals"][0]["text"] = "阳泉市住房和城建设局"
    d["findings"].append({"code": "low_confidence", "severity": "warning", "field": None, "page": 1, "message": "x"})
    for doc in (a, b, _result(t[C]), d):
        _write(res, f"{doc['document_id']}.json", doc)

    f = evaluate(truth_dir, res).findings
    assert (f.spurious, f.warranted_low_confidence, f.spurious_strict) == (1, 2, 3)
    assert f.spurious_strict_per_20_docs == pytest.approx(15.0)
    assert f.per_code["low_confidence"].spurious == 1

    # the same seal warning on a page whose seals were all read right is spurious
    d["seals"][0]["text"] = "阳泉市住房和城乡建设局"
    _write(res, f"{D}.json", d)
    f = evaluate(truth_dir, res).findings
    assert (f.spurious, f.warranted_low_confidence) == (2, 1)
