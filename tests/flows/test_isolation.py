"""The reading worker: a document over its time is killed with its worker, a worker that dies
takes only its document, and the next document gets a fresh worker."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.document import DocumentContext, PipelineOptions, process_file
from flows.isolation import DocumentTimeout, IsolatedReader
from records.rules import default_rules_dir, load_rules


@pytest.fixture(scope="module")
def rules():
    return load_rules(default_rules_dir(), "shanxi-2024")


def _a_scan(sample_batch: Path) -> Path:
    return next(p for p in sorted((sample_batch / "inbox").rglob("*.jpg")))


def test_timeout_kills_the_worker_and_the_next_document_still_reads(rules, sample_batch: Path) -> None:
    reader = IsolatedReader(PipelineOptions(), rules, memory_limit=8 << 30)
    scan = _a_scan(sample_batch)
    try:
        with pytest.raises(DocumentTimeout, match="seconds_per_document"):
            reader.read(scan, declared_name=scan.name, timeout=0.05)
        outcome = reader.read(scan, declared_name=scan.name, timeout=300)
        assert outcome.failure is None and any(p.lines for p in outcome.pages)
    finally:
        reader.close()


def test_a_worker_that_dies_fails_only_its_document(rules, sample_batch: Path) -> None:
    """A worker killed mid-document (as the kernel does on OOM, or a C library abort)."""
    import os
    import signal
    import threading
    import time

    reader = IsolatedReader(PipelineOptions(), rules, memory_limit=8 << 30)
    scan = _a_scan(sample_batch)
    ctx = DocumentContext(batch_id="b", key=f"x/{scan.name}", institution="x")
    got: dict = {}

    def run() -> None:
        got["result"] = process_file(reader, rules, scan, ctx, timeout=300)

    try:
        t = threading.Thread(target=run)
        t.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not getattr(reader._executor, "_processes", None):
            time.sleep(0.05)
        time.sleep(1.0)  # mid-read (model loading or OCR)
        for pid in list(reader._executor._processes):  # type: ignore[union-attr]
            os.kill(pid, signal.SIGKILL)
        t.join(120)
        result, crops = got["result"]
        assert result.status == "failed" and crops == []
        assert "worker" in result.findings[0].message
        # the next document gets a fresh worker
        again, _ = process_file(reader, rules, scan, ctx, timeout=300)
        assert again.status != "failed"
    finally:
        reader.close()
