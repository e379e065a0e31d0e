"""Process-level wiring: which object store to use, and the embedded one for users without MinIO."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows.settings import Settings
from storage.s3 import MinioStore
from storage.servers import start_localbucket


def open_store(settings: Settings) -> MinioStore:
    """The configured MinIO/S3 store (MINIO_* variables), with the bucket created if missing."""
    store = MinioStore.from_env(os.environ, bucket=settings.bucket)
    store.ensure_bucket()
    return store


@contextmanager
def embedded_storage(root: Path) -> Iterator[Path]:
    """Start localbucket on 127.0.0.1 over plain folders under `root` and point MINIO_* at it.

    Used when the user has no MinIO (MINIO_ENDPOINT unset). Yields the folder that holds the
    buckets; objects are plain files below it. The server stops when the block ends.
    """
    root.mkdir(parents=True, exist_ok=True)
    access, secret = "intake", secrets.token_hex(16)
    saved = {k: os.environ.get(k) for k in ("MINIO_ENDPOINT", "MINIO_ACCESS_KEY", "MINIO_SECRET_KEY", "MINIO_SECURE")}
    server = start_localbucket(root, access_key=access, secret_key=secret)
    try:
        os.environ.update({"MINIO_ENDPOINT": server.endpoint, "MINIO_ACCESS_KEY": access, "MINIO_SECRET_KEY": secret,
                           "MINIO_SECURE": "false"})
        yield root
    finally:
        server.stop()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
