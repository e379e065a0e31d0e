"""Pages per minute and peak memory of the whole pipeline (read, OCR, seals, fields, checks).

Run by hand, never in CI:  .venv/bin/python bench/bench_pipeline.py [DIR] [--model small|tiny]
DIR defaults to samples/batch/inbox. Prints one line per document and a total; paste into
docs/bench.md with the machine's description.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows.settings import Settings, quiet_environment  # noqa: E402

quiet_environment()

from flows.document import DocumentContext, DocumentPipeline, InProcessReader, process_file  # noqa: E402
from records.rules import load_rules  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", nargs="?", type=Path, default=Path(__file__).resolve().parent.parent / "samples" / "batch" / "inbox")
    ap.add_argument("--model", default="small", choices=["small", "tiny"])
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    settings = Settings(ocr_model=args.model, ocr_threads=args.threads)
    rules = load_rules(settings.rules_dir, settings.campaign)
    t0 = time.perf_counter()
    pipeline = DocumentPipeline(settings.pipeline_options(), rules)
    pipeline.ocr._pipeline()  # load models outside the timed loop
    load_s = time.perf_counter() - t0
    files = sorted(p for p in args.dir.rglob("*") if p.is_file())
    pages = 0
    t1 = time.perf_counter()
    for f in files:
        s = time.perf_counter()
        result, _ = process_file(InProcessReader(pipeline), rules, f, DocumentContext(batch_id="bench", key=str(f.relative_to(args.dir)),
                                                              institution=f.parent.name))
        pages += max(1, len(result.pages))
        print(f"{time.perf_counter() - s:6.2f}s {len(result.pages):2d}p {result.status:8s} {f.relative_to(args.dir)}")
    total = time.perf_counter() - t1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nmodel {args.model}, {args.threads} threads: load {load_s:.1f}s; {len(files)} documents, {pages} pages in "
          f"{total:.1f}s = {pages / total * 60:.1f} pages/min; peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
