"""Every object-key layout of the pipeline, and the mapping from keys to safe local paths.

Layout (see DOMAIN.md, "How a batch arrives" and the result contract)::

    inbox/<batch_id>/<institution>/<file as uploaded>           what the office drops
    results/<batch_id>/<document_id>.json                       one DocumentResult per document
    results/<batch_id>/summary.json                             the batch summary
    results/<batch_id>/evidence/<document_id>/<name>            seal crops etc. for reviewers
    results/<batch_id>/objects/<sha256 of the source key>.json  "this source object is done"

No other module builds keys by hand.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

INBOX_ROOT = "inbox/"
RESULTS_ROOT = "results/"

_BATCH_ID_RE = re.compile(r"[A-Za-z0-9._-]{1,100}")
_DOCUMENT_ID_RE = re.compile(r"[0-9a-f]{64}")
_EVIDENCE_NAME_RE = re.compile(r"[A-Za-z0-9._-]{1,100}")
_SUFFIX_RE = re.compile(r"\.([A-Za-z0-9]{1,10})$")
_UNSAFE_RUN_RE = re.compile(r"[^\w.-]+")
_LOCAL_DIR_CHARS = 16
_LOCAL_STEM_BYTES = 100


def validate_batch_id(batch_id: str) -> str:
    """Return `batch_id` if it is safe as one key segment, else raise.

    Allowed: 1-100 characters from ``A-Z a-z 0-9 . _ -``, not starting with ".".

    Args:
        batch_id: The batch identifier, e.g. "2024-02-28-taiyuan-001".

    Raises:
        ValueError: The identifier is empty, too long, has other characters or starts with ".".
    """
    if not isinstance(batch_id, str) or not _BATCH_ID_RE.fullmatch(batch_id) or batch_id.startswith("."):
        raise ValueError(
            f"invalid batch id {batch_id!r}: use 1-100 characters from A-Z a-z 0-9 . _ -, "
            "not starting with '.' (e.g. 2024-02-28-taiyuan-001)"
        )
    return batch_id


def _validate_document_id(document_id: str) -> str:
    if not isinstance(document_id, str) or not _DOCUMENT_ID_RE.fullmatch(document_id):
        raise ValueError(
            f"invalid document id {document_id!r}: expected the sha256 hex (64 lowercase hex digits) "
            "of the source bytes"
        )
    return document_id


def inbox_prefix(batch_id: str) -> str:
    """Return the folder the office uploads a batch to: ``inbox/<batch_id>/``.

    Raises:
        ValueError: `batch_id` is invalid (see `validate_batch_id`).
    """
    return f"{INBOX_ROOT}{validate_batch_id(batch_id)}/"


def results_prefix(batch_id: str) -> str:
    """Return the folder holding everything the pipeline writes for a batch: ``results/<batch_id>/``.

    Raises:
        ValueError: `batch_id` is invalid.
    """
    return f"{RESULTS_ROOT}{validate_batch_id(batch_id)}/"


def result_key(batch_id: str, document_id: str) -> str:
    """Return the key of a document's result JSON: ``results/<batch_id>/<document_id>.json``.

    Args:
        batch_id: The batch identifier.
        document_id: The sha256 hex of the source bytes.

    Raises:
        ValueError: `batch_id` or `document_id` is invalid.
    """
    return f"{results_prefix(batch_id)}{_validate_document_id(document_id)}.json"


def summary_key(batch_id: str) -> str:
    """Return the key of the batch summary: ``results/<batch_id>/summary.json``.

    Raises:
        ValueError: `batch_id` is invalid.
    """
    return f"{results_prefix(batch_id)}summary.json"


def evidence_key(batch_id: str, document_id: str, name: str) -> str:
    """Return the key of an evidence file: ``results/<batch_id>/evidence/<document_id>/<name>``.

    Args:
        batch_id: The batch identifier.
        document_id: The sha256 hex of the source bytes.
        name: A file name such as "seal-p1-0.png": 1-100 characters from
            ``A-Z a-z 0-9 . _ -``, not starting with ".".

    Raises:
        ValueError: Any part is invalid.
    """
    if not isinstance(name, str) or not _EVIDENCE_NAME_RE.fullmatch(name) or name.startswith("."):
        raise ValueError(
            f"invalid evidence name {name!r}: use 1-100 characters from A-Z a-z 0-9 . _ -, "
            "not starting with '.'"
        )
    return f"{results_prefix(batch_id)}evidence/{_validate_document_id(document_id)}/{name}"


def object_record_key(batch_id: str, source_key: str) -> str:
    """Return the key of the per-source-object marker ``results/<batch_id>/objects/<sha256>.json``.

    The marker tells a restarted batch that this source object has been processed. It is
    keyed by the sha256 of the source key (UTF-8), not of the bytes, because two objects with
    identical bytes are still two submissions to account for.

    Args:
        batch_id: The batch identifier.
        source_key: The full key of the source object, e.g. "inbox/<batch_id>/<inst>/a.pdf".

    Raises:
        ValueError: `batch_id` is invalid or `source_key` is empty.
    """
    if not source_key:
        raise ValueError("source key is empty")
    digest = hashlib.sha256(source_key.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{results_prefix(batch_id)}objects/{digest}.json"


def institution_of(batch_id: str, key: str) -> str | None:
    """Return the submitting institution of an inbox object: the first folder under the batch.

    ``inbox/<batch_id>/阳泉市技工学校/扫描/自查报告.pdf`` -> "阳泉市技工学校".

    Args:
        batch_id: The batch identifier.
        key: The object key.

    Returns:
        The folder name as uploaded, or None if the file sits directly in the batch folder
        (or under an empty folder name, as in ``inbox/<batch_id>//x.pdf``).

    Raises:
        ValueError: `batch_id` is invalid or `key` is not inside ``inbox/<batch_id>/``.
    """
    prefix = inbox_prefix(batch_id)
    if not key.startswith(prefix):
        raise ValueError(f"key {key!r} is not inside the batch folder {prefix!r}")
    rest = key[len(prefix) :]
    folder, sep, _ = rest.partition("/")
    if not sep or not folder:
        return None
    return folder


def _truncate_utf8(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", "ignore")


def safe_local_path(work_dir: Path, key: str) -> Path:
    r"""Map any object key, however hostile, to a file path guaranteed to be inside `work_dir`.

    The result is ``work_dir / <first 16 hex of sha256(key)> / <sanitised basename>``: the hash
    folder keeps distinct keys apart, the name stays readable for humans and tools. The
    basename is the text after the last "/" or "\", NFC-normalised; every run of characters
    other than Unicode letters, digits, "_", "." and "-" becomes "_"; leading dots are removed
    (no "..", no hidden files); the stem is cut to 100 UTF-8 bytes; an ASCII alphanumeric
    extension of up to 10 characters is kept, lower-cased. An empty result becomes "object".
    Nothing is created on disk.

    Args:
        work_dir: The folder the file must stay inside.
        key: Any text (spaces, "#", "%", "..", "%2f", backslashes, NUL, absolute paths,
            very long or non-ASCII names).

    Returns:
        A path whose parent is a direct child of `work_dir`.
    """
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:_LOCAL_DIR_CHARS]
    base = re.split(r"[/\\]", key)[-1]
    # Lone surrogates cannot be normalised or written as UTF-8; drop them first.
    base = base.encode("utf-8", "ignore").decode("utf-8")
    base = unicodedata.normalize("NFC", base)
    suffix = ""
    match = _SUFFIX_RE.search(base)
    if match:
        suffix = "." + match.group(1).lower()
        base = base[: match.start()]
    stem = _UNSAFE_RUN_RE.sub("_", base).lstrip(".").rstrip(". ")
    stem = _truncate_utf8(stem, _LOCAL_STEM_BYTES) or "object"
    name = stem + suffix
    path = work_dir / digest / name
    # Defence in depth: the construction above cannot produce a separator or a dot-name.
    if path.parent.parent != work_dir or path.name in {"", ".", ".."} or "\x00" in name:
        raise AssertionError(f"safe_local_path produced an unsafe name for {key!r}: {name!r}")
    return path
