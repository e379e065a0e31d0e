"""Read documents in a child process with a time limit and a memory ceiling.

Hostile files can make a C library hang, allocate without bound or abort the whole process
(pdfium aborts on a failed allocation). The reading step (parsers, rendering, OCR, seals) runs
in a worker process that loads the models once; a document that runs past its time is killed
with its worker, a worker that dies takes only its document with it, and the next document gets
a fresh worker. Everything that crosses the boundary (`ReadOutcome`) is small and picklable.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import resource
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from flows.document import DocumentPipeline, PipelineOptions, ReadOutcome
from records.errors import IntakeError
from records.rules import RuleSet

log = logging.getLogger(__name__)


class DocumentTimeout(IntakeError):
    """Reading a document took longer than `seconds_per_document`."""


class ReaderCrashed(IntakeError):
    """The reading worker died on a document (out of memory, a crash in a C library)."""


_child_pipeline: DocumentPipeline | None = None


def _child_init(options_json: str, rules_json: str, memory_limit: int) -> None:
    global _child_pipeline
    from flows.settings import quiet_environment

    quiet_environment()
    if memory_limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    _child_pipeline = DocumentPipeline(PipelineOptions.model_validate_json(options_json), RuleSet.model_validate_json(rules_json))


def _child_read(path: str, declared_name: str) -> ReadOutcome:
    assert _child_pipeline is not None
    try:
        return _child_pipeline.read_document(Path(path), declared_name=declared_name)
    except MemoryError as e:
        raise ReaderCrashed(f"out of memory while reading (worker memory limit): {e}") from None


class IsolatedReader:
    """One worker process that reads documents; restarted after a timeout or a crash."""

    def __init__(self, options: PipelineOptions, rules: RuleSet, *, memory_limit: int) -> None:
        self._init_args = (options.model_dump_json(), rules.model_dump_json(), memory_limit)
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_child_init, initargs=self._init_args)
        return self._executor

    def _kill(self) -> None:
        ex, self._executor = self._executor, None
        if ex is None:
            return
        for proc in list(getattr(ex, "_processes", {}).values()):
            proc.kill()
        ex.shutdown(wait=False, cancel_futures=True)

    def read(self, path: Path, *, declared_name: str, timeout: float) -> ReadOutcome:
        """Read one file in the worker. Raises DocumentTimeout or ReaderCrashed."""
        fut = self._pool().submit(_child_read, str(path), declared_name)
        try:
            return fut.result(timeout=timeout)
        except FutureTimeout:
            self._kill()
            raise DocumentTimeout(f"reading took longer than {timeout:g} s (seconds_per_document)") from None
        except BrokenProcessPool:
            self._kill()
            raise ReaderCrashed("the reading worker died on this file (memory limit or a crash in a parser)") from None

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


class ReaderPool:
    """N isolated readers shared by the batch's threads (N = how many documents are read at once)."""

    def __init__(self, options: PipelineOptions, rules: RuleSet, *, size: int, memory_limit: int) -> None:
        self._free: queue.Queue[IsolatedReader] = queue.Queue()
        self._all = [IsolatedReader(options, rules, memory_limit=memory_limit) for _ in range(size)]
        for r in self._all:
            self._free.put(r)

    def read(self, path: Path, *, declared_name: str, timeout: float) -> ReadOutcome:
        reader = self._free.get()
        try:
            return reader.read(path, declared_name=declared_name, timeout=timeout)
        finally:
            self._free.put(reader)

    def close(self) -> None:
        for r in self._all:
            r.close()


_pools: dict[Any, ReaderPool] = {}
_pools_lock = threading.Lock()


def reader_pool(options: PipelineOptions, rules: RuleSet, *, size: int, memory_limit: int) -> ReaderPool:
    """One pool per process and configuration (models load once per worker)."""
    key = (options.model_dump_json(), rules.campaign.campaign, size, memory_limit)
    with _pools_lock:
        if key not in _pools:
            _pools[key] = ReaderPool(options, rules, size=size, memory_limit=memory_limit)
        return _pools[key]
