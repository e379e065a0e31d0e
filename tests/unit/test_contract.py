"""The contract: models, committed JSON Schema and the status rule stay in step."""

from __future__ import annotations

import json

import jsonschema
import pytest
from pydantic import ValidationError

from records.models import FINDING_CODES, DocumentResult, Finding, derive_status
from records.schema import schemas

SHA = "a" * 64


def minimal(**over):
    base = {"document_id": SHA, "batch_id": "b1",
            "source": {"key": "inbox/b1/x/a.pdf", "sha256": SHA, "media_type": "application/pdf", "bytes": 10, "pages": 1},
            "pages": [{"page": 1, "width": 1654, "height": 2339, "dpi": 200, "rotation": 0}],
            "status": "passed", "doc_type": "fire_acceptance_certificate", "doc_type_confidence": 0.9,
            "fields": {"issue_date": {"value": "2023-12-15", "confidence": 0.99, "page": 1, "bbox": [1, 2, 3, 4], "source": "ocr"}},
            "seals": [{"page": 1, "bbox": [10, 10, 300, 300], "shape": "round", "text": "阳泉市住房和城乡建设局",
                       "text_confidence": 0.9, "matches": "issuing_authority"}],
            "findings": [], "review": None}
    base.update(over)
    return base


def test_committed_schema_is_generated_from_the_models() -> None:
    for path, schema in schemas().items():
        assert path.is_file(), f"{path} missing: run `intake schema`"
        assert json.loads(path.read_text(encoding="utf-8")) == schema, f"{path} is stale: run `intake schema` and commit"


def test_a_contract_example_validates_against_schema_and_model() -> None:
    doc = minimal()
    DocumentResult.model_validate(doc)
    jsonschema.validate(doc, schemas()[next(iter(schemas()))])


def test_domain_keys_are_present_with_their_meaning() -> None:
    dumped = DocumentResult.model_validate(minimal()).model_dump(mode="json")
    for key in ("schema_version", "document_id", "batch_id", "source", "pages", "status", "doc_type",
                "doc_type_confidence", "fields", "seals", "findings", "review"):
        assert key in dumped
    assert dumped["schema_version"] == "1"
    assert set(dumped["source"]) >= {"key", "sha256", "media_type", "bytes", "pages"}
    assert set(dumped["seals"][0]) >= {"page", "bbox", "shape", "text", "text_confidence", "matches"}


def test_domain_finding_vocabulary_is_kept() -> None:
    domain = {"unreadable", "media_type_mismatch", "unknown_doc_type", "missing_field", "invalid_field", "missing_seal",
              "seal_mismatch", "seal_partial", "conclusion_not_passed", "late_submission", "missing_area",
              "hazards_outstanding", "low_confidence", "duplicate_submission"}
    assert domain <= set(FINDING_CODES)


@pytest.mark.parametrize("codes_sev,status", [
    ([], "passed"),
    ([("duplicate_submission", "info")], "passed"),
    ([("late_submission", "warning")], "flagged"),
    ([("missing_seal", "error"), ("media_type_mismatch", "info")], "flagged"),
    ([("unreadable", "error")], "failed"),
])
def test_status_rule(codes_sev, status) -> None:
    findings = [Finding(code=c, severity=s, message="m") for c, s in codes_sev]
    assert derive_status(findings) == status


def test_status_contradicting_findings_is_rejected() -> None:
    with pytest.raises(ValidationError, match="contradicts"):
        DocumentResult.model_validate(minimal(findings=[{"code": "missing_seal", "severity": "error", "message": "x"}]))


def test_unknown_finding_code_and_bad_bbox_are_rejected() -> None:
    with pytest.raises(ValidationError):
        DocumentResult.model_validate(minimal(status="flagged", findings=[{"code": "made_up", "severity": "error", "message": "x"}]))
    bad = minimal()
    bad["seals"][0]["bbox"] = [300, 300, 10, 10]
    with pytest.raises(ValidationError, match="bbox"):
        DocumentResult.model_validate(bad)
