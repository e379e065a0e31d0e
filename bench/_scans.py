"""What the per-pass benchmarks share (run by hand; not a test): the offline environment, the
pipeline as the flow builds it, and the scanned pages of a folder of uploads, read as
`DocumentPipeline.read_document` loads them."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
for key, value in {"ORT_DISABLE_TELEMETRY": "1", "DO_NOT_TRACK": "1", "PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK": "True"}.items():
    os.environ.setdefault(key, value)

from extractors.load import load_document
from flows.document import DocumentPipeline
from flows.settings import Settings
from records.errors import InputError
from records.rules import default_rules_dir, load_rules


def arguments(doc: str, pages: int) -> tuple[DocumentPipeline, argparse.Namespace]:
    """The pipeline and the command line (`inbox`, `--pages`) of a benchmark described by `doc`."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("inbox", type=Path, help="a folder of uploads (a generated corpus's inbox)")
    ap.add_argument("--pages", type=int, default=pages, help="stop after this many image pages")
    args = ap.parse_args()
    return DocumentPipeline(Settings().pipeline_options(), load_rules(default_rules_dir(), "shanxi-2024")), args


def scanned_pages(pipe: DocumentPipeline, inbox: Path) -> Iterator[Any]:
    """Every page of the uploads under `inbox` that is an image with no text layer (sorted by
    path); uploads that cannot be read are passed over."""
    for path in sorted(p for p in inbox.rglob("*") if p.is_file()):
        try:
            loaded = load_document(path, declared_name=path.name, options=pipe.options.read)
        except InputError:
            continue
        yield from (lp for lp in loaded.pages if lp.image is not None and lp.text is None)


def first_pass(pipe: DocumentPipeline, lp: Any) -> tuple[Any, float]:
    """The page's first OCR pass, as the pipeline reads it, and the seconds it took."""
    t = time.perf_counter()
    read = pipe.ocr.read_page(lp.image, page_no=lp.page_no, dpi=lp.dpi)
    return read, time.perf_counter() - t
