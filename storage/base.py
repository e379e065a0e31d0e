"""The object-storage interface the pipeline codes against, and what every store shares.

Only `storage/s3.py` talks to a real server; flows, the review app and tests depend on
`ObjectStore`, so any S3-protocol server (MinIO, localbucket, moto) can stand behind it.
"""

from __future__ import annotations

import builtins
import os
import stat as stat_module
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from records.errors import InputError, StorageError

DEFAULT_CONTENT_TYPE = "application/octet-stream"
MAX_KEY_BYTES = 1024
"""S3's limit on the UTF-8 length of an object key."""


class NoSuchKeyError(StorageError):
    """The object does not exist (it was never written, or was deleted after it was listed).

    A subclass of `StorageError` so the CLI maps it to the storage exit code, but not
    retryable: asking again will not make the object appear.
    """

    retryable = False

    def __init__(self, key: str, message: str) -> None:
        """Record the missing `key`; `message` says where it was looked for."""
        super().__init__(message)
        self.key = key


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    """What a listing or a HEAD request says about one stored object.

    Attributes:
        key: The full object key.
        size: Size in bytes.
        etag: The ETag without quotes (the MD5 hex of the bytes for a single-part upload).
        last_modified: When the object was last written (timezone-aware UTC), if the server says.
    """

    key: str
    size: int
    etag: str
    last_modified: datetime | None


@runtime_checkable
class ObjectStore(Protocol):
    """A bucket of objects addressed by key. Implementations must be thread-safe.

    All methods raise `records.errors.StorageError` (retryable) when the server cannot be
    reached or fails; `ValueError` for a key the store can never hold (empty, NUL byte,
    over 1024 UTF-8 bytes).
    """

    def get(self, key: str) -> bytes:
        """Return the whole object.

        Raises:
            NoSuchKeyError: The object does not exist.
            StorageError: The server cannot be reached or failed.
        """
        ...

    def get_to_file(self, key: str, path: Path, *, max_bytes: int) -> int:
        """Stream an object to a local file and return the number of bytes written.

        The size is checked from `stat` before anything is downloaded, and again while
        streaming (the object may be replaced in between). The file appears at `path` only
        when complete (written beside it, then renamed); parent folders are created.

        Raises:
            records.errors.LimitExceeded: The object is larger than `max_bytes`
                (`limit="max_bytes"`); nothing is left at `path`.
            NoSuchKeyError: The object does not exist.
            StorageError: The server cannot be reached, failed, or the transfer broke off.
        """
        ...

    def put(self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE) -> None:
        """Write (or overwrite) an object. Readers see the old or the new bytes, never a mix."""
        ...

    def put_if_absent(self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE) -> bool:
        """Create an object only if the key is free, atomically on the server.

        Returns:
            True if this call wrote the object, False if the key already existed (its content
            is left unchanged).
        """
        ...

    def exists(self, key: str) -> bool:
        """Return whether an object with exactly this key exists."""
        ...

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        """Yield every object whose key starts with `prefix`, recursively, in key order.

        Folder markers (keys ending in "/") are skipped.
        """
        ...

    def stat(self, key: str) -> ObjectInfo | None:
        """Return the object's metadata, or None if it does not exist."""
        ...

    def upload_dir(self, local_dir: Path, prefix: str) -> builtins.list[str]:
        """Upload every regular file below `local_dir` and return the keys written, sorted.

        Keys are `prefix` + the file's path relative to `local_dir` in POSIX form; names are
        kept as they are (non-ASCII included). Symbolic links, to files or folders, are skipped.

        Raises:
            ValueError: `prefix` is neither empty nor ends with "/".
            records.errors.InputError: A file name is not valid UTF-8.
        """
        ...


def check_key(key: str) -> str:
    """Return `key` if an S3 server can store it, else raise ValueError.

    Args:
        key: An object key.

    Raises:
        ValueError: The key is empty, contains a NUL byte or a lone surrogate, or is longer
            than 1024 bytes in UTF-8.
    """
    if not key:
        raise ValueError("object key is empty")
    if "\x00" in key:
        raise ValueError(f"object key contains a NUL byte: {key!r}")
    try:
        size = len(key.encode("utf-8"))
    except UnicodeEncodeError as e:
        raise ValueError(f"object key is not valid Unicode text: {key!r}") from e
    if size > MAX_KEY_BYTES:
        raise ValueError(f"object key is {size} bytes in UTF-8; S3 allows at most {MAX_KEY_BYTES}")
    return key


def check_prefix(prefix: str) -> str:
    """Return `prefix` if it is empty or names a folder (ends with "/"), else raise ValueError."""
    if prefix and not prefix.endswith("/"):
        raise ValueError(f"prefix must be empty or end with '/': {prefix!r}")
    return prefix


def iter_local_files(local_dir: Path) -> Iterator[tuple[Path, str]]:
    """Yield (path, relative POSIX name) for every regular file below `local_dir`, sorted.

    Symbolic links are never followed or yielded, so an upload cannot leak files from
    outside `local_dir`.

    Args:
        local_dir: The folder to walk.

    Raises:
        NotADirectoryError: `local_dir` is not a folder.
        records.errors.InputError: A file or folder name is not valid UTF-8 (it could not
            become an object key); rename it.
    """
    if not local_dir.is_dir():
        raise NotADirectoryError(f"not a folder: {local_dir}")
    found: list[tuple[Path, str]] = []
    for dirpath, dirnames, filenames in os.walk(local_dir, followlinks=False):
        here = Path(dirpath)
        # os.walk lists symlinks to folders in dirnames but (followlinks=False) does not
        # descend into them; they are dropped here as well for clarity.
        dirnames[:] = sorted(d for d in dirnames if not (here / d).is_symlink())
        for name in filenames:
            path = here / name
            mode = path.lstat().st_mode
            if not stat_module.S_ISREG(mode):
                continue  # symlink, FIFO, socket, device
            rel = path.relative_to(local_dir).as_posix()
            try:
                rel.encode("utf-8")
            except UnicodeEncodeError as e:
                raise InputError(
                    f"file name is not valid UTF-8 and cannot become an object key: {path!r}; rename the file"
                ) from e
            found.append((path, rel))
    found.sort(key=lambda item: item[1].encode("utf-8"))
    yield from found
