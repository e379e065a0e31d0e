"""The pass for rows the detector dropped (`PaddleOcrEngine.read_gaps`): its cost per page next to
the first OCR pass's, on scanned pages as the pipeline reads them (run by hand).

    .venv/bin/python bench/bench_gaps.py /tmp/corpus/inbox --pages 30

Each image page of the first documents found is read as `DocumentPipeline.read_document` reads
it: first pass, seals, the passes under grey seals, then `read_gaps` (which shares the prepared
page with them). Prints seconds per page for the first pass and for `read_gaps`, the worst page,
and how many pages had a line added. Not a test: numbers go in docs/bench.md.
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

from extractors.load import load_document
from flows.document import DocumentPipeline
from flows.settings import Settings
from records.errors import InputError
from records.rules import default_rules_dir, load_rules


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inbox", type=Path, help="a folder of uploads (a generated corpus's inbox)")
    ap.add_argument("--pages", type=int, default=30, help="stop after this many image pages")
    args = ap.parse_args()
    pipe = DocumentPipeline(Settings().pipeline_options(), load_rules(default_rules_dir(), "shanxi-2024"))
    first, gaps, worst, added, pages = 0.0, 0.0, 0.0, 0, 0
    for path in sorted(p for p in args.inbox.rglob("*") if p.is_file()):
        try:
            loaded = load_document(path, declared_name=path.name, options=pipe.options.read)
        except InputError:
            continue
        for lp in loaded.pages:
            if lp.image is None or lp.text is not None or pages >= args.pages:
                continue
            t = time.perf_counter()
            read = pipe.ocr.read_page(lp.image, page_no=lp.page_no, dpi=lp.dpi)
            first += time.perf_counter() - t
            if read.rotation:
                continue  # the pipeline turns such pages first; left out here
            found = [sc.finding for sc in pipe.seal_reader.find_seals(lp.image, page_no=lp.page_no, dpi=lp.dpi)]
            read = pipe.ocr.reread_under_seals(lp.image, read, found)
            t = time.perf_counter()
            after = pipe.ocr.read_gaps(lp.image, read, [s.bbox for s in found])
            dt = time.perf_counter() - t
            gaps, worst, pages = gaps + dt, max(worst, dt), pages + 1
            added += after is not read
        if pages >= args.pages:
            break
    if not pages:
        print("no image pages found")
        return 1
    print(f"{pages} pages: first pass {first / pages:.2f} s/page, read_gaps {gaps / pages * 1000:.0f} ms/page "
          f"(worst {worst * 1000:.0f} ms), a line added on {added} page(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
