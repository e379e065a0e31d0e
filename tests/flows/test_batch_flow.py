"""The real batch flow on the sample batch, against moto's S3 server over HTTP, twice."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from records.models import BatchSummary, DocumentResult
from records.schema import DOCUMENT_SCHEMA, SUMMARY_SCHEMA
from storage import keys
from storage.s3 import MinioStore
from storage.servers import start_moto

BATCH = "2024-02-28-sample-001"


@pytest.fixture(scope="module")
def moto_env(monkeypatch_module):
    with start_moto() as server:
        monkeypatch_module.setenv("MINIO_ENDPOINT", server.endpoint)
        monkeypatch_module.setenv("MINIO_ACCESS_KEY", server.access_key)
        monkeypatch_module.setenv("MINIO_SECRET_KEY", server.secret_key)
        monkeypatch_module.setenv("MINIO_SECURE", "false")
        yield server


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.fixture(scope="module")
def flow_runs(moto_env, prefect_harness, sample_batch: Path, tmp_path_factory):
    from flows.batch import batch_flow
    from flows.settings import Settings

    work = tmp_path_factory.mktemp("work")
    settings = Settings(work_dir=work, bucket="submissions")
    store = MinioStore.from_env(bucket="submissions")
    store.ensure_bucket()
    uploaded = store.upload_dir(sample_batch / "inbox", keys.inbox_prefix(BATCH))
    roster = sample_batch / "roster.csv"
    first = batch_flow(batch_id=BATCH, roster_path=str(roster), settings_json=settings.model_dump_json())
    stamps = {o.key: o.etag for o in store.list(keys.results_prefix(BATCH))}
    second = batch_flow(batch_id=BATCH, roster_path=str(roster), settings_json=settings.model_dump_json())
    return {"store": store, "uploaded": uploaded, "first": first, "second": second, "stamps": stamps}


def test_summary_accounts_for_every_uploaded_object(flow_runs) -> None:
    store = flow_runs["store"]
    summary_json = json.loads(store.get(keys.summary_key(BATCH)))
    jsonschema.validate(summary_json, json.loads(SUMMARY_SCHEMA.read_text(encoding="utf-8")))
    summary = BatchSummary.model_validate(summary_json)
    assert sorted(e.key for e in summary.objects) == sorted(flow_runs["uploaded"])
    assert summary.counts["objects"] == len(flow_runs["uploaded"])
    for e in summary.objects:
        assert e.status in ("passed", "flagged", "failed")
        if e.document_id:
            assert store.exists(keys.result_key(BATCH, e.document_id))


def test_every_result_validates_against_the_published_schema(flow_runs) -> None:
    store = flow_runs["store"]
    schema = json.loads(DOCUMENT_SCHEMA.read_text(encoding="utf-8"))
    results = [o.key for o in store.list(keys.results_prefix(BATCH))
               if o.key.endswith(".json") and "/objects/" not in o.key and not o.key.endswith("summary.json")]
    assert results
    for k in results:
        data = json.loads(store.get(k))
        jsonschema.validate(data, schema)
        r = DocumentResult.model_validate(data)
        assert k == keys.result_key(BATCH, r.document_id)
        assert r.source.key.startswith(keys.inbox_prefix(BATCH))
        for seal in r.seals:
            if seal.crop_key:
                assert store.exists(seal.crop_key), seal.crop_key


def test_batch_sees_all_three_statuses_and_the_unreadable_file(flow_runs) -> None:
    summary = flow_runs["first"]["summary"]
    statuses = {e["status"] for e in summary["objects"]}
    assert statuses == {"passed", "flagged", "failed"}
    failed = [e for e in summary["objects"] if e["status"] == "failed"]
    assert all(e["reason"] for e in failed)


def test_rerun_skips_everything_and_rewrites_nothing(flow_runs) -> None:
    first, second = flow_runs["first"], flow_runs["second"]
    assert first["run"]["processed"] == first["run"]["objects"] > 0
    assert second["run"] == {"objects": first["run"]["objects"], "processed": 0, "skipped": first["run"]["objects"]}
    store = flow_runs["store"]
    after = {o.key: o.etag for o in store.list(keys.results_prefix(BATCH))}
    before = flow_runs["stamps"]
    changed = [k for k in before if k.endswith(".json") and not k.endswith("summary.json") and after.get(k) != before[k]]
    assert changed == []
    assert first["summary"]["objects"] == second["summary"]["objects"]


def test_roster_institution_without_submission_is_reported(flow_runs, sample_batch: Path) -> None:
    from records.roster import load_roster

    summary = flow_runs["first"]["summary"]
    submitted = {e["institution"] for e in summary["objects"]}
    expected_missing = sorted(r.name for r in load_roster(sample_batch / "roster.csv") if r.name not in submitted)
    assert expected_missing, "the sample roster should list an institution that sent nothing"
    assert summary["not_submitted"] == expected_missing
