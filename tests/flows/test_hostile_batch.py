"""Hostile uploads through the real batch flow: every object ends with a result, the batch goes on,
and no object key reaches the filesystem outside the work folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from records.models import BatchSummary, DocumentResult
from storage import keys
from storage.s3 import MinioStore
from storage.servers import start_moto
from tests.hostile.conftest import CASES, hostile_dir  # noqa: F401  (fixture)

BATCH = "hostile-001"
# Key names as scanner apps, phones and attackers make them (all inside inbox/<batch>/).
TRICKY_NAMES = ["扫描 全能王 #1 &2 100%.pdf", "..", "a%2f..%2f..%2fescape.pdf", "../../../../tmp/intake-escape.pdf",
                "C:\\\\Windows\\\\evil.pdf", "ünïcødé 文件.jpg"]


@pytest.fixture(scope="module")
def hostile_run(prefect_harness, hostile_dir: Path, tmp_path_factory):  # noqa: F811
    from flows.batch import batch_flow
    from flows.settings import Settings

    mp = pytest.MonkeyPatch()
    with start_moto() as server:
        for k, v in {"MINIO_ENDPOINT": server.endpoint, "MINIO_ACCESS_KEY": server.access_key,
                     "MINIO_SECRET_KEY": server.secret_key, "MINIO_SECURE": "false"}.items():
            mp.setenv(k, v)
        work = tmp_path_factory.mktemp("hostile-work")
        settings = Settings(work_dir=work, bucket="hostile", seconds_per_document=120)
        store = MinioStore.from_env(bucket="hostile")
        store.ensure_bucket()
        prefix = keys.inbox_prefix(BATCH)
        expected: dict[str, str] = {}
        for case in CASES:
            key = f"{prefix}某职业培训学校/{case.name}"
            store.put(key, (hostile_dir / case.name).read_bytes())
            expected[key] = case.expect
        good = (hostile_dir / "jpeg_named.tif").read_bytes()
        # Another client (boto3) can upload keys the minio SDK refuses to address.
        import boto3

        s3 = boto3.client("s3", endpoint_url=f"http://{server.endpoint}", aws_access_key_id=server.access_key,
                          aws_secret_access_key=server.secret_key, region_name="us-east-1")
        for name in TRICKY_NAMES:
            key = f"{prefix}怪名字学校/{name}"
            s3.put_object(Bucket="hostile", Key=key, Body=good)
            expected[key] = "dot-segments" if ".." in key.split("/") else "tricky"
        # Most of this batch is meant to fail: the flow writes the summary, then fails the run
        # because the failure ratio is over the configured limit (an office should look at it).
        with pytest.raises(RuntimeError, match="failure_ratio"):
            batch_flow(batch_id=BATCH, settings_json=settings.model_dump_json())
        summary = json.loads(store.get(keys.summary_key(BATCH)))
        yield {"store": store, "out": {"summary": summary}, "expected": expected, "work": work}
    mp.undo()


def test_every_hostile_object_is_accounted_for(hostile_run) -> None:
    summary = BatchSummary.model_validate(json.loads(hostile_run["store"].get(keys.summary_key(BATCH))))
    assert sorted(e.key for e in summary.objects) == sorted(hostile_run["expected"])


def test_unreadable_and_over_limit_files_fail_with_a_reason(hostile_run) -> None:
    store = hostile_run["store"]
    entries = {e["key"]: e for e in hostile_run["out"]["summary"]["objects"]}
    for key, expect in hostile_run["expected"].items():
        e = entries[key]
        if expect in ("input", "limit"):
            assert e["status"] == "failed", key
            result = DocumentResult.model_validate_json(store.get(e["result_key"]))
            unreadable = [f for f in result.findings if f.code == "unreadable"]
            assert unreadable and unreadable[0].message.strip(), key
        elif expect in ("ok", "tricky"):
            assert e["status"] in ("passed", "flagged"), (key, e)
        elif expect == "dot-segments":  # never read, never mapped to a path: failed with a reason
            assert e["status"] == "failed" and "重命名" in e["reason"], (key, e)


def test_limits_are_named_in_the_reason(hostile_run) -> None:
    entries = {e["key"]: e for e in hostile_run["out"]["summary"]["objects"]}
    bomb = next(k for k in entries if k.endswith("docx_zip_bomb.docx"))
    assert "max_docx_inflated_bytes" in entries[bomb]["reason"]
    pixels = next(k for k in entries if k.endswith("png_pixel_bomb.png"))
    assert "max_pixels_per_page" in entries[pixels]["reason"]


def test_no_key_escapes_the_work_folder(hostile_run) -> None:
    assert not Path("/tmp/intake-escape.pdf").exists()
    assert not Path("/escape.pdf").exists()
    work: Path = hostile_run["work"]
    # downloads are cleaned up; nothing was left outside the work folder's own subfolders
    leftovers = [p for p in work.rglob("*") if p.is_file() and "models" not in p.parts]
    assert leftovers == []
