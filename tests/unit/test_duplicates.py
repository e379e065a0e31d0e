from __future__ import annotations

from flows.document import with_duplicates
from records.models import DocumentResult
from tests.unit.test_contract import minimal


def test_duplicate_finding_names_every_other_key_once_and_is_idempotent() -> None:
    r = DocumentResult.model_validate(minimal())
    once = with_duplicates(r, ["inbox/b1/x/a.pdf", "inbox/b1/y/a.pdf"])
    twice = with_duplicates(once, ["inbox/b1/x/a.pdf", "inbox/b1/y/a.pdf", "inbox/b1/z/a.pdf"])
    dups = [f for f in twice.findings if f.code == "duplicate_submission"]
    assert len(dups) == 1 and dups[0].severity == "info"
    assert "inbox/b1/y/a.pdf" in dups[0].message and "inbox/b1/z/a.pdf" in dups[0].message
    assert "inbox/b1/x/a.pdf" not in dups[0].message  # the document's own key
    assert twice.status == r.status == "passed"
    assert with_duplicates(r, ["inbox/b1/x/a.pdf"]) is r  # uploaded once: unchanged
