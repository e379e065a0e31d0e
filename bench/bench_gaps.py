"""The pass for rows the detector dropped (`PaddleOcrEngine.read_gaps`): its cost per page next to
the first OCR pass's, on scanned pages as the pipeline reads them (run by hand).

    .venv/bin/python bench/bench_gaps.py /tmp/corpus/inbox --pages 30

Each image page of the first documents found is read as `DocumentPipeline.read_document` reads
it: first pass, seals, the passes under grey seals, then `read_gaps` (which shares the prepared
page with them). Prints seconds per page for the first pass and for `read_gaps`, the worst page,
and how many pages had a line added. Not a test: numbers go in docs/bench.md.
"""

from __future__ import annotations

import time

from _scans import arguments, first_pass, scanned_pages


def main() -> int:
    pipe, args = arguments(__doc__ or "", 30)
    first, gaps, worst, added, pages = 0.0, 0.0, 0.0, 0, 0
    for lp in scanned_pages(pipe, args.inbox):
        if pages >= args.pages:
            break
        read, took = first_pass(pipe, lp)
        first += took
        if read.rotation:
            continue  # the pipeline turns such pages first; left out here
        found = [sc.finding for sc in pipe.seal_reader.find_seals(lp.image, page_no=lp.page_no, dpi=lp.dpi)]
        read = pipe.ocr.reread_under_seals(lp.image, read, found)
        t = time.perf_counter()
        after = pipe.ocr.read_gaps(lp.image, read, [s.bbox for s in found])
        dt = time.perf_counter() - t
        gaps, worst, pages = gaps + dt, max(worst, dt), pages + 1
        added += after is not read
    if not pages:
        print("no image pages found")
        return 1
    print(f"{pages} pages: first pass {first / pages:.2f} s/page, read_gaps {gaps / pages * 1000:.0f} ms/page "
          f"(worst {worst * 1000:.0f} ms), a line added on {added} page(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
