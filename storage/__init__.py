"""Object storage for the pipeline: the `ObjectStore` interface, key layouts, the MinIO store.

`storage.base` and `storage.keys` are light; `MinioStore` and `S3Options` (from `storage.s3`,
the only module importing `minio`) are loaded on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storage.base import NoSuchKeyError, ObjectInfo, ObjectStore

if TYPE_CHECKING:
    from storage.s3 import MinioStore, RetryOptions, S3Options

__all__ = ["MinioStore", "NoSuchKeyError", "ObjectInfo", "ObjectStore", "RetryOptions", "S3Options"]

_LAZY = {"MinioStore", "RetryOptions", "S3Options"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from storage import s3

        return getattr(s3, name)
    raise AttributeError(f"module 'storage' has no attribute {name!r}")
