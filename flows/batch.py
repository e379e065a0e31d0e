"""The Prefect flow: every object under inbox/<batch_id>/ becomes a result, then a summary.

Wiring only: storage I/O, task wrappers around the core (flows/document.py), fan-out over a
bounded thread pool, and the batch summary. Idempotent: an object whose record exists is
skipped, a result is written create-only under its document_id, so a re-run or a restart
after a crash neither redoes nor duplicates work.
"""

from __future__ import annotations

import json
import shutil
import traceback
from collections import defaultdict
from pathlib import Path, PurePosixPath
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE as NO_CACHE
from prefect.states import Completed
from prefect.task_runners import ThreadPoolTaskRunner

from checks.fields import same_organisation
from flows.document import (
    DocumentContext,
    Reader,
    ReadOutcome,
    analyse,
    failed_result,
    read_or_fail,
    roster_bodies,
    sha256_file,
    with_duplicates,
)
from flows.settings import Settings, quiet_environment
from records.errors import IntakeError, LimitExceeded
from records.models import BatchSummary, DocumentResult, InstitutionSummary, SummaryEntry
from records.roster import RosterEntry, load_roster
from records.rules import RuleSet, load_rules
from storage import keys
from storage.base import ObjectStore


def _retry_if_retryable(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect retries an I/O task only for errors that say retrying may help (StorageError)."""
    try:
        state.result()
    except IntakeError as e:
        return e.retryable
    except Exception:
        return False
    return False


_IO = {"retries": 3, "retry_delay_seconds": [1, 4, 10], "retry_condition_fn": _retry_if_retryable, "cache_policy": NO_CACHE}


@task(name="download", **_IO)
def download_task(store: ObjectStore, key: str, path: Path, max_bytes: int) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    return store.get_to_file(key, path, max_bytes=max_bytes)


@task(name="read", cache_policy=NO_CACHE)
def read_task(reader: Reader, path: Path, ctx: DocumentContext, document_id: str, size: int,
              timeout: float) -> ReadOutcome | DocumentResult:
    """Parse, render, OCR and find seals (in an isolated worker); a failed result if unreadable."""
    return read_or_fail(reader, path, ctx, document_id=document_id, size=size, timeout=timeout)


@task(name="classify-and-check", cache_policy=NO_CACHE)
def analyse_task(outcome: ReadOutcome, ctx: DocumentContext, rules: RuleSet, document_id: str, size: int,
                 crop_keys: list[str]) -> DocumentResult:
    return analyse(outcome, ctx, rules, document_id=document_id, size=size, crop_keys=crop_keys)


@task(name="write", **_IO)
def write_task(store: ObjectStore, result: DocumentResult, crops: list[bytes], crop_keys: list[str]) -> bool:
    """Write evidence, then the result (create-only). Returns False if the result already existed."""
    for data, ck in zip(crops, crop_keys, strict=True):
        store.put(ck, data, content_type="image/png")
    body = json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1).encode("utf-8")
    return store.put_if_absent(keys.result_key(result.batch_id, result.document_id), body, content_type="application/json")


@task(name="record", **_IO)
def record_task(store: ObjectStore, batch_id: str, entry: SummaryEntry) -> None:
    body = json.dumps(entry.model_dump(mode="json"), ensure_ascii=False).encode("utf-8")
    store.put(keys.object_record_key(batch_id, entry.key), body, content_type="application/json")


def _entry(key: str, ctx: DocumentContext, result: DocumentResult, duplicate_of: str | None = None) -> SummaryEntry:
    reason = next((f.message for f in result.findings if f.code == "unreadable"), None)
    return SummaryEntry(key=key, institution=ctx.institution, document_id=result.document_id, status=result.status,
                        doc_type=result.doc_type, result_key=keys.result_key(result.batch_id, result.document_id),
                        duplicate_of=duplicate_of, reason=reason)


@task(name="document", cache_policy=NO_CACHE)
def document_task(settings: Settings, store: ObjectStore, rules: RuleSet, batch_id: str, key: str,
                  roster: dict[str, RosterEntry]) -> Any:
    """One inbox object end to end; returns its SummaryEntry (state "Skipped" when already done)."""
    log = get_run_logger()
    record_key = keys.object_record_key(batch_id, key)
    if store.exists(record_key):
        entry = SummaryEntry.model_validate_json(store.get(record_key))
        return Completed(name="Skipped", data=entry, message=f"{key} already processed")
    institution = keys.institution_of(batch_id, key)
    ctx = DocumentContext(batch_id=batch_id, key=key, institution=institution, roster_entry=_roster_match(roster, institution),
                          roster_bodies=roster_bodies(roster.values()))
    local = keys.safe_local_path(settings.work_dir.resolve() / "downloads" / batch_id, key)
    try:
        try:
            download_task(store, key, local, settings.max_bytes)
        except ValueError as e:  # a key the S3 client refuses to address ('..' segments, NUL …)
            entry = SummaryEntry(key=key, institution=institution, document_id=None, status="failed",
                                 reason=f"对象名无法安全读取（{e}），请重命名文件后重新上传")
            record_task(store, batch_id, entry)
            return entry
        except LimitExceeded as e:
            info = store.stat(key)
            size = info.size if info else 0
            document_id = _hash_of_remote(store, key, local)
            result = failed_result(ctx, document_id=document_id, size=size, reason=f"文件过大（{e.limit}）：{e}")
            return _finish(store, batch_id, key, ctx, result, [], [])
        document_id, size = sha256_file(local), local.stat().st_size
        try:
            outcome = read_task(settings.make_reader(rules), local, ctx, document_id, size, settings.seconds_per_document)
            if isinstance(outcome, DocumentResult):
                return _finish(store, batch_id, key, ctx, outcome, [], [])
        except IntakeError as e:
            if e.retryable:
                raise
            result = failed_result(ctx, document_id=document_id, size=size, reason=f"处理失败：{e}")
            return _finish(store, batch_id, key, ctx, result, [], [])
        except Exception as e:  # a crash on one document must not stop the batch
            log.error("document %s crashed: %s", key, traceback.format_exc(limit=5))
            result = failed_result(ctx, document_id=document_id, size=size, reason=f"内部错误：{type(e).__name__}: {e}")
            return _finish(store, batch_id, key, ctx, result, [], [])
        crop_keys = [keys.evidence_key(batch_id, document_id, f"seal-{i + 1}.png") for i in range(len(outcome.seal_crops))]
        result = analyse_task(outcome, ctx, rules, document_id, size, crop_keys)
        return _finish(store, batch_id, key, ctx, result, outcome.seal_crops, crop_keys)
    finally:
        shutil.rmtree(local.parent, ignore_errors=True)


def _hash_of_remote(store: ObjectStore, key: str, local: Path) -> str:
    """sha256 of an object over the size limit, streamed through a scratch file (never into memory).

    Objects beyond even the hard cap are identified by their key and ETag instead, since
    reading them at all is what the limit forbids.
    """
    import hashlib

    try:
        store.get_to_file(key, local, max_bytes=_HASH_HARD_CAP)
        return sha256_file(local)
    except LimitExceeded:
        info = store.stat(key)
        return hashlib.sha256(f"oversize:{key}:{info.etag if info else ''}".encode()).hexdigest()
    finally:
        local.unlink(missing_ok=True)


_HASH_HARD_CAP = 2 << 30


def _finish(store: ObjectStore, batch_id: str, key: str, ctx: DocumentContext, result: DocumentResult,
            crops: list[bytes], crop_keys: list[str]) -> SummaryEntry:
    written = write_task(store, result, crops, crop_keys)
    duplicate_of = None
    if not written:
        existing = DocumentResult.model_validate_json(store.get(keys.result_key(batch_id, result.document_id)))
        if existing.source.key != key:
            duplicate_of = existing.source.key
        result = existing
    entry = _entry(key, ctx, result, duplicate_of)
    record_task(store, batch_id, entry)
    return entry


def _roster_match(roster: dict[str, RosterEntry], institution: str | None) -> RosterEntry | None:
    if not institution:
        return None
    if institution in roster:
        return roster[institution]
    for name, entry in roster.items():
        if same_organisation(name, institution, threshold=0.9):
            return entry
    return None


def _mark_duplicates(store: ObjectStore, batch_id: str, entries: list[SummaryEntry]) -> None:
    """Give every document uploaded under more than one key a duplicate_submission finding."""
    by_doc: dict[str, list[str]] = defaultdict(list)
    for e in entries:
        if e.document_id:
            by_doc[e.document_id].append(e.key)
    for document_id, ks in by_doc.items():
        if len(ks) < 2:
            continue
        rkey = keys.result_key(batch_id, document_id)
        result = DocumentResult.model_validate_json(store.get(rkey))
        updated = with_duplicates(result, ks)
        if updated.findings == result.findings:
            continue
        body = json.dumps(updated.model_dump(mode="json"), ensure_ascii=False, indent=1)
        store.put(rkey, body.encode("utf-8"), content_type="application/json")


def summarise(batch_id: str, entries: list[SummaryEntry], roster: list[RosterEntry], rules: RuleSet) -> BatchSummary:
    """Counts, per-institution view (what arrived, passed, flagged, is missing) and who sent nothing."""
    counts: dict[str, int] = defaultdict(int)
    for e in entries:
        counts[e.status] += 1
        if e.duplicate_of:
            counts["duplicates"] += 1
    counts["objects"] = len(entries)
    by_inst: dict[str, list[SummaryEntry]] = defaultdict(list)
    for e in entries:
        by_inst[e.institution or ""].append(e)
    roster_by_name = {r.name: r for r in roster}
    institutions: list[InstitutionSummary] = []
    names = sorted(set(by_inst) | set(roster_by_name))
    for name in names:
        if not name:
            continue
        es = by_inst.get(name, [])
        entry = roster_by_name.get(name) or _roster_match(roster_by_name, name)
        doc_types: dict[str, list[str]] = defaultdict(list)
        for e in es:
            if not e.duplicate_of:
                doc_types[e.doc_type or "unknown"].append(e.status)
        required = rules.campaign.required_doc_types.get(entry.category, []) if entry and entry.category else []
        missing = [t for t in required if t not in doc_types]
        institutions.append(InstitutionSummary(name=name, category=entry.category if entry else None, on_roster=entry is not None,
                                               documents=len(es), doc_types=dict(doc_types), missing_doc_types=missing))
    not_submitted = sorted(r.name for r in roster if not by_inst.get(r.name) and not any(
        same_organisation(r.name, n, threshold=0.9) for n in by_inst if n))
    return BatchSummary(batch_id=batch_id, objects=sorted(entries, key=lambda e: e.key), counts=dict(counts),
                        institutions=institutions, not_submitted=not_submitted)


@flow(name="intake-batch", task_runner=ThreadPoolTaskRunner(max_workers=2), log_prints=False)
def batch_flow(batch_id: str, roster_path: str | None = None, settings_json: str | None = None) -> dict[str, Any]:
    """Process inbox/<batch_id>/ of the configured bucket.

    Returns {"summary": <the summary written to storage>, "run": {"objects", "processed", "skipped"}}.
    """
    from flows.runtime import open_store

    quiet_environment()
    log = get_run_logger()
    settings = Settings.model_validate_json(settings_json) if settings_json else Settings()
    keys.validate_batch_id(batch_id)
    rules = load_rules(settings.rules_dir, settings.campaign)
    roster = load_roster(Path(roster_path)) if roster_path else []
    roster_map = {r.name: r for r in roster}
    store = open_store(settings)
    prefix = keys.inbox_prefix(batch_id)
    objects = sorted(o.key for o in store.list(prefix) if not o.key.endswith("/"))
    log.info("batch %s: %d objects under %s", batch_id, len(objects), prefix)
    settings.make_reader(rules)  # one reader pool per process, made before the fan-out
    futures = [document_task.with_options(task_run_name=f"doc:{PurePosixPath(k).name[:40]}").submit(
        settings, store, rules, batch_id, k, roster_map) for k in objects]
    entries: list[SummaryEntry] = []
    skipped = 0
    for key, fut in zip(objects, futures, strict=True):
        try:
            entries.append(fut.result())
            skipped += fut.state.name == "Skipped"
        except IntakeError:
            raise
        except Exception as e:  # never lose an object: it still gets a line in the summary
            entries.append(SummaryEntry(key=key, institution=keys.institution_of(batch_id, key), document_id=None,
                                        status="failed", reason=f"内部错误：{type(e).__name__}: {e}"))
    _mark_duplicates(store, batch_id, entries)
    summary = summarise(batch_id, entries, roster, rules)
    body = json.dumps(summary.model_dump(mode="json"), ensure_ascii=False, indent=1).encode("utf-8")
    store.put(keys.summary_key(batch_id), body, content_type="application/json")
    failed = sum(1 for e in entries if e.status == "failed")
    log.info("batch %s done: %s", batch_id, dict(summary.counts))
    if entries and failed / len(entries) > settings.failure_ratio:
        raise RuntimeError(f"{failed} of {len(entries)} documents failed (over failure_ratio={settings.failure_ratio})")
    return {"summary": summary.model_dump(mode="json"),
            "run": {"objects": len(objects), "processed": len(objects) - skipped, "skipped": skipped}}
