"""The published JSON Schemas, generated from the contract models (committed under schema/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from records.models import BatchSummary, DocumentResult

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
DOCUMENT_SCHEMA = SCHEMA_DIR / "document_result.schema.json"
SUMMARY_SCHEMA = SCHEMA_DIR / "batch_summary.schema.json"


def schemas() -> dict[Path, dict[str, Any]]:
    """File path -> JSON Schema (draft 2020-12) for the per-document result and the batch summary."""
    out: dict[Path, dict[str, Any]] = {}
    for path, model, title in ((DOCUMENT_SCHEMA, DocumentResult, "scan-intake per-document result, schema_version 1"),
                               (SUMMARY_SCHEMA, BatchSummary, "scan-intake batch summary, schema_version 1")):
        schema = model.model_json_schema(mode="serialization")
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"urn:scan-intake:schema:{path.name}",
                  **schema, "title": title}
        out[path] = schema
    return out
