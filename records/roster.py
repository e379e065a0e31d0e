"""The roster of institutions an office expects submissions from (CSV: name,category,city,sponsor)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from records.errors import InputError
from records.models import INSTITUTION_CATEGORIES


class RosterEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    name: str
    category: str | None = None
    city: str | None = None
    sponsor: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("empty institution name")
        return v

    @field_validator("category", "city", "sponsor", mode="before")
    @classmethod
    def _blank_none(cls, v: object) -> object:
        return None if v is None or (isinstance(v, str) and not v.strip()) else (v.strip() if isinstance(v, str) else v)

    @field_validator("category")
    @classmethod
    def _category(cls, v: str | None) -> str | None:
        if v is not None and v not in INSTITUTION_CATEGORIES:
            raise ValueError(f"category {v!r} is not one of {INSTITUTION_CATEGORIES}")
        return v


def parse_roster(text: str) -> list[RosterEntry]:
    """Parse roster CSV text (UTF-8, header `name,category,city,sponsor`). Raises InputError."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or "name" not in [f.strip() for f in reader.fieldnames]:
        raise InputError("roster CSV needs a header line with at least `name` (name,category,city,sponsor)")
    out: list[RosterEntry] = []
    for i, row in enumerate(reader, start=2):
        row = {(k or "").strip(): v for k, v in row.items()}
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        try:
            out.append(RosterEntry.model_validate(row))
        except ValidationError as e:
            raise InputError(f"roster line {i}: {e.errors()[0]['msg']}") from e
    return out


def load_roster(path: Path) -> list[RosterEntry]:
    try:
        return parse_roster(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read roster {path}: {e} (save it as UTF-8 CSV)") from e
