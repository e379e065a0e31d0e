"""The close look at red seals whose rows hold no line (`PaddleOcrEngine.reread_under_seals`):
how often it runs and what it costs next to the first OCR pass (run by hand).

    .venv/bin/python bench/bench_last_pages.py /tmp/corpus/inbox --pages 60

Each image page of the first documents found is read as `DocumentPipeline.read_document` reads
it (first pass, seals); for pages with a red seal, `reread_under_seals` is timed. Prints seconds
per page for the first pass, how many pages had a red seal whose rows held no line, and seconds
per such page for the pass. Not a test: numbers go in docs/bench.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
for key, value in {"ORT_DISABLE_TELEMETRY": "1", "DO_NOT_TRACK": "1", "PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK": "True"}.items():
    os.environ.setdefault(key, value)

import numpy as np

from extractors import underseal
from extractors.load import load_document
from extractors.ocr import _CJK_OR_DIGIT, QUARTER_TURNS, upright_page
from flows.document import DocumentPipeline
from flows.settings import Settings
from records.errors import InputError
from records.rules import default_rules_dir, load_rules


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inbox", type=Path, help="a folder of uploads (a generated corpus's inbox)")
    ap.add_argument("--pages", type=int, default=60, help="stop after this many image pages")
    args = ap.parse_args()
    pipe = DocumentPipeline(Settings().pipeline_options(), load_rules(default_rules_dir(), "shanxi-2024"))
    first, close, pages, bare = 0.0, 0.0, 0, 0
    for path in sorted(p for p in args.inbox.rglob("*") if p.is_file()):
        try:
            loaded = load_document(path, declared_name=path.name, options=pipe.options.read)
        except InputError:
            continue
        for lp in loaded.pages:
            if lp.image is None or lp.text is not None:
                continue
            t0 = time.perf_counter()
            text = pipe.ocr.read_page(lp.image, page_no=lp.page_no, dpi=lp.dpi)
            first += time.perf_counter() - t0
            pages += 1
            k = QUARTER_TURNS.get(text.rotation, 0)
            image, read = (np.ascontiguousarray(np.rot90(lp.image, k)), upright_page(text, k)) if k else (lp.image, text)
            red = [sc.finding for sc in pipe.seal_reader.find_seals(image, page_no=lp.page_no, dpi=lp.dpi) if sc.finding.color == "red"]
            h, w = image.shape[:2]
            if any(s.shape != "square" and not any(underseal.in_row(ln, underseal.seal_area(s.bbox, s.shape, w, h).box)
                                                 and len(_CJK_OR_DIGIT.findall(ln.text)) >= 2 for ln in read.lines) for s in red):
                bare += 1
                t0 = time.perf_counter()
                pipe.ocr.reread_under_seals(image, read, red)
                close += time.perf_counter() - t0
            if pages >= args.pages:
                break
        if pages >= args.pages:
            break
    print(f"{pages} image pages: first pass {first / max(pages, 1):.2f} s/page")
    print(f"{bare} with a red seal whose rows hold no line: close look {close / max(bare, 1):.2f} s/page")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
