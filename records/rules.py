"""The shape of the rule files under rules/ (data only) and their loader.

`rules/doctypes/<doc_type>.yml` says how to recognise a document type and read its fields;
`rules/campaigns/<campaign>.yml` says what a campaign demands (deadlines, required fields and
seals, severities) and which `rules/places/<name>.yml` (a province's cities and counties) the
names of bodies are spelt over. All are validated here at load time; a malformed file raises
`RuleError`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from records.errors import RuleError
from records.models import AREA_CODES, DOC_TYPES, FINDING_CODES, INSTITUTION_CATEGORIES

PARSERS = ("label", "document_number", "foot_date", "areas", "count", "category")
FALLBACKS = ("foot_org", "head_org", "addressee", "project_in_prose", "conclusion_in_prose", "title_org")
NORMALISERS = ("text", "org", "person", "date", "area_m2", "conclusion", "phone", "count")
SEAL_ROLES = ("issuing_authority", "institution_name", "sponsor")


class _Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as e:
        raise ValueError(f"bad regex {pattern!r}: {e}") from e
    return pattern


class Evidence(_Rule):
    pattern: str
    weight: float = Field(gt=0)
    # "head": only the first characters of the document (title, 文号, addressee), where a
    # document says what it is; "all": anywhere (a report may mention a licence in its body).
    scope: Literal["all", "head"] = "all"

    _c = field_validator("pattern")(classmethod(lambda cls, v: _compiles(v)))


class FieldRule(_Rule):
    parser: Literal["label", "document_number", "foot_date", "areas", "count", "category"]
    labels: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    all_done_patterns: list[str] = Field(default_factory=list)
    # Where to look when no label is found, in order.
    fallback: list[Literal["foot_org", "head_org", "addressee", "project_in_prose", "conclusion_in_prose", "title_org",
                            "phone_in_contact_row"]] = Field(
        default_factory=list)
    normaliser: Literal["text", "org", "person", "date", "area_m2", "conclusion", "phone", "count"] = "text"
    required: bool = False
    # The names this field may hold, spelt over the campaign's places ({province}, {city},
    # {county}: rules/places/*.yml): a reading one or two OCR slips from exactly one of them is
    # taken as that one.
    known_names: list[str] = Field(default_factory=list)

    @field_validator("patterns", "all_done_patterns")
    @classmethod
    def _patterns_compile(cls, v: list[str]) -> list[str]:
        return [_compiles(p) for p in v]

    @field_validator("known_names")
    @classmethod
    def _placeholders(cls, v: list[str]) -> list[str]:
        for form in v:
            bad = set(re.findall(r"\{(\w*)\}", form)) - set(PLACE_SLOTS)
            if bad:
                raise ValueError(f"unknown placeholders {sorted(bad)} in {form!r}; known: {PLACE_SLOTS}")
        return v


PLACE_SLOTS = ("province", "city", "county")


class Places(_Rule):
    """A province's cities and their county-level divisions (rules/places/<name>.yml)."""

    province: str
    cities: dict[str, list[str]]

    def city_of(self, city: str | None) -> str | None:
        """The city as these places spell it (阳泉 -> 阳泉市), or None when it is not one of them."""
        if not city:
            return None
        return next((c for c in self.cities if c == city or c.startswith(city)), None)

    def names_for(self, forms: tuple[str, ...], city: str | None) -> tuple[str, ...]:
        """The names the `forms` spell for one city (forms without {city} as they are); forms with
        {county} are left out."""
        own = self.city_of(city)
        out = [f.format(province=self.province, city=own or "", county="") for f in forms
               if "{county}" not in f and (own or "{city}" not in f)]
        return tuple(dict.fromkeys(out))

    def place_names(self) -> frozenset[str]:
        """The province, its cities and their divisions as written (山西省, 太原市, 小店区)."""
        return frozenset([self.province, *self.cities, *(c for cs in self.cities.values() for c in cs)])

    def names(self, forms: tuple[str, ...]) -> tuple[str, ...]:
        """Every name the `forms` spell over these places, each once, in order."""
        out: list[str] = []
        for form in forms:
            for city, counties in self.cities.items():
                for county in counties if "{county}" in form else [""]:
                    out.append(form.format(province=self.province, city=city, county=county))
                if "{city}" not in form and "{county}" not in form:
                    break
        return tuple(dict.fromkeys(out))


class SealRule(_Rule):
    required: list[Literal["issuing_authority", "institution_name", "sponsor"]] = Field(default_factory=list)
    pages: Literal["first", "any"] = "any"


class DocTypeRules(_Rule):
    doc_type: Literal["fire_acceptance_certificate", "self_inspection_report"]
    name_zh: str
    priority: int = 0
    keywords: list[Evidence]
    exclude_keywords: list[Evidence] = Field(default_factory=list)
    min_score: float = Field(gt=0)
    head_chars: int = Field(default=120, ge=20, description="how many leading characters count as the head")
    confidence_half: float = Field(default=3.0, gt=0)
    fields: dict[str, FieldRule]
    areas: dict[str, list[str]] = Field(default_factory=dict)
    seals: SealRule = SealRule()

    @field_validator("areas")
    @classmethod
    def _known_areas(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(v) - set(AREA_CODES)
        if unknown:
            raise ValueError(f"unknown area codes {sorted(unknown)}; known: {AREA_CODES}")
        return v


class CampaignDocType(_Rule):
    deadline: dt.date | None = None
    deadline_field: str | None = None
    # The deadline field cannot be earlier (a report answers the campaign's notice): a date read
    # earlier had its year misread (2021 for 2024) and is given the campaign's year, for a person
    # to confirm.
    not_before: dt.date | None = None
    # Nor later than the campaign's end: a date under a seal whose year a seal hid (202年2月26日)
    # is not read as a year after it.
    not_after: dt.date | None = None
    required_fields: list[str] = Field(default_factory=list)
    required_seals: list[Literal["issuing_authority", "institution_name", "sponsor"]] | None = None
    institution_field: str | None = None
    passing_conclusion: str | None = None
    check_number_year: bool = False
    required_areas: list[str] = Field(default_factory=list)

    @field_validator("required_areas")
    @classmethod
    def _areas(cls, v: list[str]) -> list[str]:
        bad = [a for a in v if a not in AREA_CODES]
        if bad:
            raise ValueError(f"unknown area codes {bad}")
        return v


class Campaign(_Rule):
    campaign: str
    title: str
    notice: str | None = None
    doc_types: dict[str, CampaignDocType]
    required_doc_types: dict[str, list[str]] = Field(default_factory=dict)
    severity: dict[str, Literal["error", "warning", "info"]]
    low_confidence_below: float = Field(default=0.6, ge=0, le=1)
    # rules/places/<places>.yml: the places that `known_names` forms are spelt over.
    places: str | None = None
    # The bodies the campaign runs through, spelt over the places ({province}, {city}): the
    # seals on a licence or forwarded notice sent along. Seal reading knows their names.
    supervisors: list[str] = Field(default_factory=list)

    @field_validator("supervisors")
    @classmethod
    def _supervisor_forms(cls, v: list[str]) -> list[str]:
        for form in v:
            bad = set(re.findall(r"\{(\w*)\}", form)) - {"province", "city"}
            if bad:
                raise ValueError(f"unknown placeholders {sorted(bad)} in {form!r}; known: ['city', 'province']")
        return v

    @field_validator("severity")
    @classmethod
    def _codes(cls, v: dict[str, str]) -> dict[str, str]:
        bad = [c for c in v if c not in FINDING_CODES]
        if bad:
            raise ValueError(f"unknown finding codes {bad}; the vocabulary is {FINDING_CODES}")
        return v

    @field_validator("doc_types")
    @classmethod
    def _types(cls, v: dict[str, CampaignDocType]) -> dict[str, CampaignDocType]:
        bad = [t for t in v if t not in DOC_TYPES]
        if bad:
            raise ValueError(f"unknown doc types {bad}")
        return v

    @field_validator("required_doc_types")
    @classmethod
    def _cats(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        bad = [c for c in v if c not in INSTITUTION_CATEGORIES]
        if bad:
            raise ValueError(f"unknown institution categories {bad}")
        return v

    def severity_of(self, code: str) -> Literal["error", "warning", "info"]:
        return self.severity.get(code, "warning")


class RuleSet(_Rule):
    doctypes: dict[str, DocTypeRules]
    campaign: Campaign
    places: Places | None = None


def _load_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise RuleError(f"cannot read rule file {path}: {e}") from e


def load_doctype(path: Path) -> DocTypeRules:
    """Load and validate one rules/doctypes/*.yml file. Raises RuleError."""
    try:
        rules = DocTypeRules.model_validate(_load_yaml(path))
    except ValidationError as e:
        raise RuleError(f"{path}: {e}") from e
    if path.stem != rules.doc_type:
        raise RuleError(f"{path}: doc_type {rules.doc_type!r} must match the file name")
    return rules


def load_campaign(path: Path) -> Campaign:
    """Load and validate a rules/campaigns/*.yml file. Raises RuleError."""
    try:
        return Campaign.model_validate(_load_yaml(path))
    except ValidationError as e:
        raise RuleError(f"{path}: {e}") from e


def load_rules(rules_dir: Path, campaign: str | Path) -> RuleSet:
    """Load every doctype under `rules_dir/doctypes` and one campaign (a name or a file path)."""
    doc_dir = rules_dir / "doctypes"
    if not doc_dir.is_dir():
        raise RuleError(f"no rules directory at {doc_dir}")
    doctypes = {}
    for p in sorted(doc_dir.glob("*.yml")):
        if p.name.startswith("_"):
            continue
        r = load_doctype(p)
        doctypes[r.doc_type] = r
    cpath = Path(campaign)
    if not cpath.suffix:
        cpath = rules_dir / "campaigns" / f"{campaign}.yml"
    if not cpath.is_file():
        raise RuleError(f"campaign file {cpath} not found")
    camp = load_campaign(cpath)
    for t, ct in camp.doc_types.items():
        if t in doctypes:
            unknown = [f for f in ct.required_fields if f not in doctypes[t].fields]
            if unknown:
                raise RuleError(f"{cpath}: {t} requires fields {unknown} that rules/doctypes/{t}.yml does not define")
    places = None
    if camp.places:
        ppath = rules_dir / "places" / f"{camp.places}.yml"
        if not ppath.is_file():
            raise RuleError(f"{cpath}: places file {ppath} not found")
        try:
            places = Places.model_validate(_load_yaml(ppath))
        except ValidationError as e:
            raise RuleError(f"{ppath}: {e}") from e
    for t, r in doctypes.items():
        if places is None and any(f.known_names for f in r.fields.values()):
            raise RuleError(f"rules/doctypes/{t}.yml spells known_names over places, but {cpath} names no places file")
    if places is None and camp.supervisors:
        raise RuleError(f"{cpath} spells supervisors over places, but names no places file")
    return RuleSet(doctypes=doctypes, campaign=camp, places=places)


def default_rules_dir() -> Path:
    """The rules/ folder of this checkout."""
    return Path(__file__).resolve().parent.parent / "rules"
