"""Every rule file loads, validates against its schema and compiles (invoice2data's template rot test)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from records.errors import RuleError
from records.rules import default_rules_dir, load_campaign, load_doctype, load_rules

RULES = default_rules_dir()


@pytest.mark.parametrize("path", sorted((RULES / "doctypes").glob("*.yml")), ids=lambda p: p.name)
def test_doctype_file_is_valid(path: Path) -> None:
    rules = load_doctype(path)
    for ev in [*rules.keywords, *rules.exclude_keywords]:
        re.compile(ev.pattern)
    for name, field in rules.fields.items():
        assert field.labels or field.patterns or field.parser in ("areas", "document_number", "foot_date"), name


@pytest.mark.parametrize("path", sorted((RULES / "campaigns").glob("*.yml")), ids=lambda p: p.name)
def test_campaign_file_is_valid(path: Path) -> None:
    camp = load_campaign(path)
    load_rules(RULES, path)  # cross-checks required fields against the doctypes
    assert camp.doc_types


def test_unknown_parser_is_rejected(tmp_path: Path) -> None:
    data = yaml.safe_load((RULES / "doctypes" / "fire_acceptance_certificate.yml").read_text(encoding="utf-8"))
    data["fields"]["document_number"]["parser"] = "magic"
    p = tmp_path / "fire_acceptance_certificate.yml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleError, match="parser"):
        load_doctype(p)


def test_bad_regex_is_rejected(tmp_path: Path) -> None:
    data = yaml.safe_load((RULES / "doctypes" / "self_inspection_report.yml").read_text(encoding="utf-8"))
    data["keywords"][0]["pattern"] = "自查(报告"
    p = tmp_path / "self_inspection_report.yml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleError, match="bad regex"):
        load_doctype(p)


def test_unknown_finding_code_in_campaign_is_rejected(tmp_path: Path) -> None:
    data = yaml.safe_load((RULES / "campaigns" / "shanxi-2024.yml").read_text(encoding="utf-8"))
    data["severity"]["made_up_code"] = "error"
    p = tmp_path / "c.yml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleError, match="unknown finding codes"):
        load_campaign(p)
