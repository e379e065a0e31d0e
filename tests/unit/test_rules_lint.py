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


@pytest.mark.parametrize("path", sorted((RULES / "places").glob("*.yml")), ids=lambda p: p.name)
def test_places_file_is_valid(path: Path) -> None:
    from records.rules import Places

    places = Places.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert places.province and places.cities
    for city, counties in places.cities.items():
        assert city.endswith(("市", "州", "盟", "地区")), city
        assert counties and len(counties) == len(set(counties)), city


def test_known_names_are_spelt_over_the_campaigns_places() -> None:
    rules = load_rules(RULES, "shanxi-2024")
    assert rules.places is not None
    forms = tuple(rules.doctypes["fire_acceptance_certificate"].fields["issuing_authority"].known_names)
    names = rules.places.names(forms)
    assert len(names) == len(set(names))
    for name in ("阳泉市住房和城乡建设局", "山西省大同市公安消防支队", "吕梁市孝义市住房和城乡建设局",
                 "孝义市住房和城乡建设局", "晋中市公安消防支队"):
        assert name in names


def test_supervisors_are_spelt_for_the_institutions_city_and_for_every_city() -> None:
    rules = load_rules(RULES, "shanxi-2024")
    assert rules.places is not None
    forms = tuple(rules.campaign.supervisors)
    assert rules.places.names_for(forms, "朔州") == ("山西省人力资源和社会保障厅", "朔州市人力资源和社会保障局")
    assert rules.places.names_for(forms, "朔州市") == rules.places.names_for(forms, "朔州")
    assert rules.places.names_for(forms, None) == ("山西省人力资源和社会保障厅",)  # no city known: the province's
    assert rules.places.names_for(forms, "atlantis") == ("山西省人力资源和社会保障厅",)
    every = rules.places.names(forms)
    assert "忻州市人力资源和社会保障局" in every and len(every) == 1 + len(rules.places.cities)


def test_a_supervisor_form_with_an_unknown_slot_is_rejected(tmp_path: Path) -> None:
    data = yaml.safe_load((RULES / "campaigns" / "shanxi-2024.yml").read_text(encoding="utf-8"))
    data["supervisors"] = ["{county}人力资源和社会保障局"]
    p = tmp_path / "c.yml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleError, match="unknown placeholders"):
        load_campaign(p)


def test_unknown_place_slot_is_rejected(tmp_path: Path) -> None:
    data = yaml.safe_load((RULES / "doctypes" / "fire_acceptance_certificate.yml").read_text(encoding="utf-8"))
    data["fields"]["issuing_authority"]["known_names"] = ["{town}住房和城乡建设局"]
    p = tmp_path / "fire_acceptance_certificate.yml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleError, match="unknown placeholders"):
        load_doctype(p)


def test_known_names_need_a_places_file(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(RULES, tmp_path / "rules")
    camp = tmp_path / "rules" / "campaigns" / "shanxi-2024.yml"
    data = yaml.safe_load(camp.read_text(encoding="utf-8"))
    data["places"] = "atlantis"
    camp.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleError, match="places file"):
        load_rules(tmp_path / "rules", "shanxi-2024")
    del data["places"]
    camp.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleError, match="names no places file"):
        load_rules(tmp_path / "rules", "shanxi-2024")
