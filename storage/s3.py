"""`MinioStore`: the `ObjectStore` over the S3 protocol (MinIO in production, localbucket/moto in tests).

This is the only module that imports the `minio` client. Every failure leaves it as a
`records.errors.StorageError` whose message says which endpoint failed and what to change.
Idempotent operations (get, stat, exists, list, put, upload_dir) are retried with the
configured backoff; each HTTP request has a short connect timeout, so a down endpoint
fails in about a second instead of the client's default minutes.
"""

from __future__ import annotations

import builtins
import hashlib
import http.client
import io
import logging
import mimetypes
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

import certifi
import urllib3
from minio import Minio
from minio.datatypes import Object as MinioObject
from minio.error import InvalidResponseError, MinioException, S3Error, ServerError
from pydantic import BaseModel, ConfigDict, Field, SecretStr, TypeAdapter, field_validator, model_validator
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util import Retry, Timeout

from records.errors import LimitExceeded, StorageError
from storage.base import (
    DEFAULT_CONTENT_TYPE,
    NoSuchKeyError,
    ObjectInfo,
    check_key,
    check_prefix,
    iter_local_files,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

_ENDPOINT_RE = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?")
_BUCKET_RE = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_AUTH_CODES = frozenset(
    {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken"}
)
_RETRYABLE_CODES = frozenset({"InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout"})
_BUCKET_EXISTS_CODES = frozenset({"BucketAlreadyOwnedByYou", "BucketAlreadyExists"})
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
_STREAM_CHUNK = 1024 * 1024

# What the client can raise for a request; anything else (local disk errors, bugs) propagates.
_CLIENT_ERRORS: tuple[type[BaseException], ...] = (
    MinioException,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    ConnectionError,
    TimeoutError,
)


class RetryOptions(BaseModel):
    """How `MinioStore` retries idempotent operations that failed with a retryable error."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    attempts: Annotated[int, Field(ge=1, le=20, description="tries per operation, the first included")] = 3
    backoff: Annotated[
        tuple[float, ...],
        Field(min_length=1, description="seconds to wait before retry n (1-based); the last value repeats"),
    ] = (0.5, 2.0)
    connect_retries: Annotated[
        int,
        Field(
            ge=0,
            le=5,
            description="immediate reconnects per HTTP request inside urllib3 (connect errors only)",
        ),
    ] = 1

    @field_validator("backoff")
    @classmethod
    def _non_negative(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if any(v < 0 for v in value):
            raise ValueError("backoff delays must be >= 0 seconds")
        return value

    def delay(self, retry_no: int) -> float:
        """Return the seconds to wait before retry `retry_no` (1-based)."""
        return self.backoff[min(retry_no, len(self.backoff)) - 1]


class S3Options(BaseModel):
    """Where and how to reach the S3 server. Build it from settings, or use `MinioStore.from_env`."""

    # hide_input_in_errors: a model-level error would otherwise print the whole input, secret included.
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    endpoint: Annotated[str, Field(description='"host:port" of the S3 server, e.g. "127.0.0.1:9000"')]
    access_key: Annotated[str, Field(min_length=1, description="S3 access key")]
    secret_key: Annotated[SecretStr, Field(description="S3 secret key")]
    secure: Annotated[bool, Field(description="use HTTPS")] = False
    bucket: Annotated[str, Field(description="bucket holding inbox/ and results/")] = "submissions"
    region: Annotated[str, Field(min_length=1, description="signing region; localbucket needs us-east-1")] = (
        "us-east-1"
    )
    connect_timeout: Annotated[float, Field(gt=0, description="seconds to open a TCP connection")] = 3.0
    read_timeout: Annotated[
        float, Field(gt=0, description="seconds to wait for each read from the server")
    ] = 60.0
    retries: RetryOptions = RetryOptions()
    max_connections: Annotated[int, Field(ge=1, le=256, description="pooled connections per host")] = 10
    create_bucket: Annotated[bool, Field(description="create the bucket on first use if it is missing")] = (
        True
    )

    @model_validator(mode="before")
    @classmethod
    def _split_scheme(cls, data: Any) -> Any:
        # Accept "http://host:port" too, a common way to write MINIO_ENDPOINT.
        if not isinstance(data, dict):
            return data
        endpoint = data.get("endpoint")
        if isinstance(endpoint, str):
            for scheme, secure in (("http://", False), ("https://", True)):
                if endpoint.lower().startswith(scheme):
                    given = data.get("secure")
                    if given is not None and TypeAdapter(bool).validate_python(given) != secure:
                        raise ValueError(f"endpoint {endpoint!r} says {scheme[:-3]} but secure={given}")
                    data = {**data, "endpoint": endpoint[len(scheme) :].rstrip("/"), "secure": secure}
        return data

    @field_validator("endpoint")
    @classmethod
    def _check_endpoint(cls, value: str) -> str:
        if not _ENDPOINT_RE.fullmatch(value):
            raise ValueError(f'endpoint must be "host:port" (e.g. "127.0.0.1:9000"), got {value!r}')
        return value

    @field_validator("bucket")
    @classmethod
    def _check_bucket(cls, value: str) -> str:
        if not _BUCKET_RE.fullmatch(value) or ".." in value:
            raise ValueError(
                f"invalid bucket name {value!r}: 3-63 characters from a-z 0-9 . -, "
                "starting and ending with a letter or digit"
            )
        return value


def _parse_bool(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"{name}={value!r} is not a boolean: use true or false")


def _object_info(obj: MinioObject, key: str | None = None) -> ObjectInfo:
    return ObjectInfo(
        key=key if key is not None else (obj.object_name or ""),
        size=obj.size or 0,
        etag=(obj.etag or "").strip('"'),
        last_modified=obj.last_modified,
    )


class MinioStore:
    """An `ObjectStore` on one bucket of an S3-protocol server, through the MinIO client.

    Thread-safe; construct one per process and share it. Construction does no I/O; the
    bucket is created on first use when `options.create_bucket` is set (or call
    `ensure_bucket`). Picklable: it pickles as its options and reconnects.

    Attributes:
        options: The options it was built from.
    """

    def __init__(self, options: S3Options) -> None:
        """Create the client.

        Args:
            options: Endpoint, credentials, bucket, timeouts and retries.
        """
        self.options = options
        scheme = "https" if options.secure else "http"
        self._where = f"{scheme}://{options.endpoint}"
        self._http = urllib3.PoolManager(
            timeout=Timeout(connect=options.connect_timeout, read=options.read_timeout),
            maxsize=options.max_connections,
            cert_reqs="CERT_REQUIRED",
            ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
            # Only reconnect attempts here: a request that reached the server is never
            # re-sent by urllib3 (that would break put_if_absent); MinioStore retries instead.
            retries=Retry(
                total=options.retries.connect_retries,
                connect=options.retries.connect_retries,
                read=0,
                redirect=0,
                status=0,
                other=0,
                backoff_factor=0.1,
                raise_on_status=False,
            ),
        )
        self._client = Minio(
            options.endpoint,
            access_key=options.access_key,
            secret_key=options.secret_key.get_secret_value(),
            secure=options.secure,
            region=options.region,
            http_client=self._http,
        )
        self._bucket_ready = not options.create_bucket
        self._bucket_lock = threading.Lock()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> MinioStore:
        """Build a store from MINIO_ENDPOINT, MINIO_ACCESS_KEY, MINIO_SECRET_KEY, MINIO_SECURE, INTAKE_BUCKET.

        MINIO_ENDPOINT defaults to "127.0.0.1:9000", MINIO_SECURE to false and INTAKE_BUCKET to
        "submissions".

        Args:
            environ: The environment to read (default: `os.environ`).
            **overrides: Further `S3Options` fields, e.g. `read_timeout=10`.

        Raises:
            records.errors.StorageError: A required variable is missing or a value is invalid
                (not retryable; the message names the variable).
        """
        env = os.environ if environ is None else environ
        missing = [name for name in ("MINIO_ACCESS_KEY", "MINIO_SECRET_KEY") if not env.get(name)]
        if missing:
            err = StorageError(f"set {' and '.join(missing)} to the credentials of the MinIO server")
            err.retryable = False
            raise err
        try:
            fields: dict[str, Any] = {
                "endpoint": env.get("MINIO_ENDPOINT") or "127.0.0.1:9000",
                "access_key": env["MINIO_ACCESS_KEY"],
                "secret_key": env["MINIO_SECRET_KEY"],
                "bucket": env.get("INTAKE_BUCKET") or "submissions",
            }
            if env.get("MINIO_SECURE"):
                fields["secure"] = _parse_bool("MINIO_SECURE", env["MINIO_SECURE"])
            options = S3Options(**{**fields, **overrides})
        except ValueError as e:  # pydantic.ValidationError is a ValueError
            err = StorageError(f"invalid object-storage settings (MINIO_*/INTAKE_BUCKET): {e}")
            err.retryable = False
            raise err from e
        return cls(options)

    def __repr__(self) -> str:
        """Show endpoint and bucket, never the credentials."""
        return f"MinioStore({self._where}, bucket={self.options.bucket!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as the options, so the store can cross process boundaries."""
        return (type(self), (self.options,))

    def close(self) -> None:
        """Close pooled connections. The store stays usable; it reconnects on demand."""
        self._http.clear()

    # ------------------------------------------------------------------ error handling

    def _error(self, op: str, key: str | None, exc: BaseException) -> StorageError:
        """Translate a client exception into a StorageError that says how to fix it."""
        what = f"{op} {key!r}" if key is not None else op
        where = self._where
        reason: BaseException = exc
        if isinstance(exc, MaxRetryError) and exc.reason is not None:
            reason = exc.reason
        retryable = True
        if isinstance(reason, S3Error):
            status = reason.response.status if reason.response is not None else 0
            code = reason.code or "unknown"
            if code == "NoSuchKey" and key is not None:
                return NoSuchKeyError(
                    key, f"object {key!r} does not exist in bucket {self.options.bucket!r} at {where}"
                )
            if code == "NoSuchBucket":
                message = (
                    f"bucket {self.options.bucket!r} does not exist at {where} ({what}): create it, "
                    "or set INTAKE_BUCKET to an existing bucket"
                )
                retryable = False
            elif code in _AUTH_CODES:
                message = (
                    f"object storage at {where} refused {what} on bucket {self.options.bucket!r} ({code}): "
                    "set MINIO_ACCESS_KEY and MINIO_SECRET_KEY to a key with read/write access to it"
                )
                retryable = False
            elif status >= 500 or code in _RETRYABLE_CODES:
                message = (
                    f"object storage at {where} failed {what}: {code} (HTTP {status}): {reason.message}; "
                    "retry later or check the MinIO server's logs"
                )
            else:
                message = (
                    f"object storage at {where} rejected {what}: {code} (HTTP {status}): {reason.message}"
                )
                retryable = False
        elif isinstance(reason, ServerError):
            message = (
                f"object storage at {where} failed {what} with HTTP {reason.status_code}; "
                "retry later or check the MinIO server's logs"
            )
            retryable = reason.status_code >= 500
        elif isinstance(reason, InvalidResponseError):
            message = (
                f"{where} answered {what} with something that is not an S3 response ({reason}); "
                "check that MINIO_ENDPOINT points at MinIO and that MINIO_SECURE matches http/https"
            )
            status_match = re.search(r"code: (\d+)", str(reason))
            retryable = bool(status_match and int(status_match.group(1)) >= 500)
        elif isinstance(reason, SSLError):
            message = (
                f"TLS failed talking to {where} during {what}: {reason}. If the server speaks plain "
                "HTTP set MINIO_SECURE=false; for a private CA set SSL_CERT_FILE"
            )
            retryable = False
        elif isinstance(reason, ReadTimeoutError | TimeoutError) and not isinstance(
            reason, ConnectTimeoutError
        ):
            message = (
                f"object storage at {where} did not answer {what} within {self.options.read_timeout:g} s; "
                "the server is overloaded or hung: retry later, check MinIO, or raise the read timeout"
            )
        elif isinstance(reason, NewConnectionError | ConnectTimeoutError | ConnectionRefusedError):
            message = (
                f"cannot reach MinIO at {self.options.endpoint} ({what}): {reason}. Start MinIO there, "
                "or set MINIO_ENDPOINT (host:port) and MINIO_SECURE to where it runs"
            )
        elif isinstance(reason, ProtocolError | http.client.HTTPException | ConnectionError):
            message = (
                f"object storage at {where} dropped the connection during {what} ({reason}); "
                "check that MINIO_ENDPOINT points at an S3 server and look at its logs"
            )
        else:
            message = f"object storage at {where} failed {what}: {type(reason).__name__}: {reason}"
        err = StorageError(message)
        err.retryable = retryable
        return err

    def _call(self, op: str, key: str | None, fn: Callable[[], T]) -> T:
        """Run `fn`, retrying retryable failures with backoff; raise StorageError at the end."""
        retries = self.options.retries
        for attempt in range(1, retries.attempts + 1):
            try:
                return fn()
            except _CLIENT_ERRORS as e:
                err = self._error(op, key, e)
                if not err.retryable or attempt == retries.attempts:
                    raise err from e
                delay = retries.delay(attempt)
                log.warning(
                    "storage %s failed (attempt %d/%d), retrying in %.2f s: %s",
                    op,
                    attempt,
                    retries.attempts,
                    delay,
                    err,
                )
            time.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _ready(self) -> None:
        if self._bucket_ready:
            return
        with self._bucket_lock:
            if not self._bucket_ready:
                self.ensure_bucket()
                self._bucket_ready = True

    def ensure_bucket(self) -> bool:
        """Create the bucket if it does not exist.

        Returns:
            True if this call created it, False if it was already there (also when another
            process created it at the same moment).

        Raises:
            records.errors.StorageError: The server cannot be reached or refused.
        """
        bucket = self.options.bucket

        def attempt() -> bool:
            if self._client.bucket_exists(bucket):
                return False
            try:
                self._client.make_bucket(bucket)
            except S3Error as e:
                if e.code in _BUCKET_EXISTS_CODES:
                    return False
                raise
            return True

        created = self._call("create bucket", bucket, attempt)
        if created:
            log.info("created bucket %s at %s", bucket, self._where)
        return created

    # ------------------------------------------------------------------ ObjectStore

    def get(self, key: str) -> bytes:
        """Return the whole object (see `ObjectStore.get`)."""
        check_key(key)
        self._ready()

        def attempt() -> bytes:
            response = self._client.get_object(self.options.bucket, key)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()

        return self._call("get", key, attempt)

    def get_to_file(self, key: str, path: Path, *, max_bytes: int) -> int:
        """Stream an object to `path`, refusing objects over `max_bytes` (see `ObjectStore.get_to_file`)."""
        check_key(key)
        info = self.stat(key)
        if info is None:
            raise NoSuchKeyError(key, f"object {key!r} does not exist in bucket {self.options.bucket!r}")
        if info.size > max_bytes:
            raise LimitExceeded(
                limit="max_bytes",
                message=(
                    f"object {key!r} is {info.size} bytes, over the limit of {max_bytes} bytes (max_bytes)"
                ),
            )
        path.parent.mkdir(parents=True, exist_ok=True)

        def attempt() -> int:
            fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".part")
            tmp = Path(tmp_name)
            try:
                written = 0
                with os.fdopen(fd, "wb") as out:
                    response = self._client.get_object(self.options.bucket, key)
                    try:
                        for chunk in response.stream(_STREAM_CHUNK):
                            written += len(chunk)
                            if written > max_bytes:
                                raise LimitExceeded(
                                    limit="max_bytes",
                                    message=(
                                        f"object {key!r} grew past the limit of {max_bytes} bytes "
                                        "(max_bytes) while it was downloaded"
                                    ),
                                )
                            out.write(chunk)
                    finally:
                        response.close()
                        response.release_conn()
                tmp.replace(path)
                return written
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise

        return self._call("get", key, attempt)

    def put(self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE) -> None:
        """Write or overwrite an object (see `ObjectStore.put`)."""
        check_key(key)
        self._ready()
        self._call(
            "put",
            key,
            lambda: self._client.put_object(
                self.options.bucket, key, io.BytesIO(data), len(data), content_type=content_type
            ),
        )

    def put_if_absent(self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE) -> bool:
        """Create an object only if the key is free (see `ObjectStore.put_if_absent`).

        Sends a single PUT with ``If-None-Match: *``; the server answers 412 if the key exists.
        minio-py has no public conditional put, so this goes through the client's request path
        (`Minio._url_open`, which signs the request); the tests pin that against localbucket and moto.

        If an attempt fails in a way that leaves unknown whether the server stored the object
        (connection dropped after sending) and the retry gets 412, the stored ETag is compared
        with the MD5 of `data`: equal means this call's write landed and True is returned.
        (This relies on single-part ETags being the MD5, true for MinIO without SSE-KMS/SSE-C.)
        """
        check_key(key)
        self._ready()
        headers = {"If-None-Match": "*", "Content-Type": content_type}
        tries = 0

        def attempt() -> bool:
            nonlocal tries
            tries += 1
            try:
                self._client._url_open(
                    "PUT",
                    self.options.region,
                    bucket_name=self.options.bucket,
                    object_name=key,
                    body=data,
                    headers=dict(headers),
                )
            except S3Error as e:
                if e.code != "PreconditionFailed":
                    raise
                if tries == 1:
                    return False
                stored = self._client.stat_object(self.options.bucket, key)
                return (stored.etag or "").strip('"') == hashlib.md5(data).hexdigest()
            return True

        return self._call("put_if_absent", key, attempt)

    def exists(self, key: str) -> bool:
        """Return whether the object exists (see `ObjectStore.exists`)."""
        return self.stat(key) is not None

    def stat(self, key: str) -> ObjectInfo | None:
        """Return the object's metadata, or None if it does not exist (see `ObjectStore.stat`)."""
        check_key(key)
        self._ready()
        try:
            obj = self._call("stat", key, lambda: self._client.stat_object(self.options.bucket, key))
        except NoSuchKeyError:
            return None
        return _object_info(obj, key)

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        """Yield every object under `prefix`, recursively, in key order (see `ObjectStore.list`).

        A listing that fails midway resumes after the last key it yielded, within the
        configured attempts (the count restarts whenever a page made progress).
        """
        self._ready()
        retries = self.options.retries
        start_after: str | None = None
        failures = 0
        while True:
            try:
                for obj in self._client.list_objects(
                    self.options.bucket, prefix=prefix or None, recursive=True, start_after=start_after
                ):
                    if obj.is_dir or not obj.object_name:
                        continue
                    info = _object_info(obj)
                    start_after = info.key
                    failures = 0
                    yield info
                return
            except _CLIENT_ERRORS as e:
                err = self._error("list", prefix, e)
                failures += 1
                if not err.retryable or failures >= retries.attempts:
                    raise err from e
                delay = retries.delay(failures)
                log.warning("storage list %r failed, retrying in %.2f s: %s", prefix, delay, err)
            time.sleep(delay)

    def upload_dir(self, local_dir: Path, prefix: str) -> builtins.list[str]:
        """Upload every regular file below `local_dir` under `prefix` (see `ObjectStore.upload_dir`)."""
        check_prefix(prefix)
        self._ready()
        keys: builtins.list[str] = []
        for path, rel in iter_local_files(local_dir):
            key = check_key(prefix + rel)
            content_type = mimetypes.guess_type(path.name)[0] or DEFAULT_CONTENT_TYPE
            self._call("put", key, _Upload(self._client, self.options.bucket, key, path, content_type))
            keys.append(key)
        return keys


class _Upload:
    """One file upload as a retryable callable (a closure in a loop would bind late)."""

    def __init__(self, client: Minio, bucket: str, key: str, path: Path, content_type: str) -> None:
        self.client, self.bucket, self.key, self.path, self.content_type = (
            client,
            bucket,
            key,
            path,
            content_type,
        )

    def __call__(self) -> object:
        return self.client.fput_object(self.bucket, self.key, str(self.path), content_type=self.content_type)
