"""The close look at red seals whose rows hold no line with a numeral
(`PaddleOcrEngine.reread_under_seals`): how often it runs and what it costs next to the first
OCR pass (run by hand).

    .venv/bin/python bench/bench_last_pages.py /tmp/corpus/inbox --pages 60

Each image page of the first documents found is read as `DocumentPipeline.read_document` reads
it (first pass, seals); for pages with a red seal, `reread_under_seals` is timed. Prints seconds
per page for the first pass, how many pages had a red seal whose rows held no line with a
numeral, and seconds per such page for the pass. Not a test: numbers go in docs/bench.md.
"""

from __future__ import annotations

import time

import numpy as np
from _scans import arguments, first_pass, scanned_pages

from extractors import underseal
from extractors.ocr import QUARTER_TURNS, rows_hold_no_numeral_line, upright_page


def main() -> int:
    pipe, args = arguments(__doc__ or "", 60)
    first, close, pages, bare = 0.0, 0.0, 0, 0
    for lp in scanned_pages(pipe, args.inbox):
        if pages >= args.pages:
            break
        text, took = first_pass(pipe, lp)
        first, pages = first + took, pages + 1
        k = QUARTER_TURNS.get(text.rotation, 0)
        image, read = (np.ascontiguousarray(np.rot90(lp.image, k)), upright_page(text, k)) if k else (lp.image, text)
        red = [sc.finding for sc in pipe.seal_reader.find_seals(image, page_no=lp.page_no, dpi=lp.dpi) if sc.finding.color == "red"]
        h, w = image.shape[:2]
        if any(s.shape != "square" and rows_hold_no_numeral_line(read.lines, underseal.seal_area(s.bbox, s.shape, w, h).box) for s in red):
            bare += 1
            t0 = time.perf_counter()
            pipe.ocr.reread_under_seals(image, read, red)
            close += time.perf_counter() - t0
    print(f"{pages} image pages: first pass {first / max(pages, 1):.2f} s/page")
    print(f"{bare} with a red seal whose rows hold no line with a numeral: close look {close / max(bare, 1):.2f} s/page")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
