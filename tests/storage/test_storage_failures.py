"""How MinioStore fails: down endpoints, dropped connections, hung servers, errors, bad settings.

Fake servers here are tiny TCP servers on 127.0.0.1 started by the test.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from records.errors import StorageError
from storage.s3 import MinioStore, RetryOptions, S3Options
from storage.servers import RunningServer

Handler = Callable[[socket.socket], None]


class TcpFake:
    """A TCP server on 127.0.0.1 that runs `handle(conn)` per connection and counts connections."""

    def __init__(self, handle: Handler) -> None:
        self._handle = handle
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self.endpoint = f"127.0.0.1:{self._sock.getsockname()[1]}"
        self.connections = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        try:
            self._handle(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=2)
        self._sock.close()


@pytest.fixture
def fake() -> Iterator[Callable[[Handler], TcpFake]]:
    started: list[TcpFake] = []

    def start(handle: Handler) -> TcpFake:
        server = TcpFake(handle)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def read_request(conn: socket.socket) -> bytes:
    """Read one HTTP request (head and Content-Length body) and return it whole."""
    conn.settimeout(5.0)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def respond(
    conn: socket.socket, status: str, body: bytes = b"", content_type: str = "application/xml"
) -> None:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    conn.sendall(head + body)


def s3_error_xml(code: str, message: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
        "<Resource>/submissions/k</Resource><RequestId>1</RequestId></Error>"
    ).encode()


def options_for(endpoint: str, **overrides: object) -> S3Options:
    fields: dict[str, object] = {
        "endpoint": endpoint,
        "access_key": "k",
        "secret_key": "s",
        "retries": RetryOptions(attempts=3, backoff=(0.05, 0.1), connect_retries=0),
        "connect_timeout": 1.0,
        "read_timeout": 1.0,
        "create_bucket": False,
    }
    fields.update(overrides)
    return S3Options.model_validate(fields)


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


OPERATIONS: dict[str, Callable[[MinioStore], object]] = {
    "get": lambda s: s.get("k"),
    "stat": lambda s: s.stat("k"),
    "exists": lambda s: s.exists("k"),
    "list": lambda s: list(s.list("inbox/")),
    "put": lambda s: s.put("k", b"data"),
    "put_if_absent": lambda s: s.put_if_absent("k", b"data"),
    "ensure_bucket": lambda s: s.ensure_bucket(),
}


@pytest.mark.parametrize("op", OPERATIONS)
def test_down_endpoint_fails_fast_with_a_fix(closed_port: int, op: str) -> None:
    store = MinioStore(options_for(f"127.0.0.1:{closed_port}"))
    started = time.monotonic()
    with pytest.raises(StorageError) as caught:
        OPERATIONS[op](store)
    assert time.monotonic() - started < 3
    assert caught.value.retryable is True
    message = str(caught.value)
    assert f"127.0.0.1:{closed_port}" in message and "MINIO_ENDPOINT" in message
    assert message.startswith("cannot reach MinIO at")


def test_down_endpoint_with_default_retries(closed_port: int) -> None:
    store = MinioStore(
        S3Options(endpoint=f"127.0.0.1:{closed_port}", access_key="k", secret_key=SecretStr("s"))
    )
    started = time.monotonic()
    with pytest.raises(StorageError, match="cannot reach MinIO"):
        store.stat("k")
    # 3 attempts, 0.5 s + 2 s backoff, one quick reconnect per request.
    assert time.monotonic() - started < 5


def _close_at_once(conn: socket.socket) -> None:
    conn.close()


def _close_after_request(conn: socket.socket) -> None:
    read_request(conn)


def _close_mid_response(conn: socket.socket) -> None:
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: application/pdf\r\n\r\n0123456789")


@pytest.mark.parametrize("behaviour", [_close_at_once, _close_after_request])
@pytest.mark.parametrize("op", ["get", "stat", "list", "put", "put_if_absent"])
def test_server_dropping_the_connection(
    fake: Callable[[Handler], TcpFake], behaviour: Handler, op: str
) -> None:
    server = fake(behaviour)
    store = MinioStore(options_for(server.endpoint))
    started = time.monotonic()
    with pytest.raises(StorageError) as caught:
        OPERATIONS[op](store)
    assert time.monotonic() - started < 3
    assert caught.value.retryable is True
    assert server.endpoint in str(caught.value)
    assert server.connections == 3  # one per attempt: urllib3 never re-sends on its own


def test_truncated_body_is_an_error_not_short_data(
    fake: Callable[[Handler], TcpFake], tmp_path: Path
) -> None:
    server = fake(_close_mid_response)
    store = MinioStore(options_for(server.endpoint))
    with pytest.raises(StorageError, match="dropped the connection"):
        store.get("k")
    assert server.connections == 3


def test_hung_server_times_out(fake: Callable[[Handler], TcpFake]) -> None:
    release = threading.Event()

    def hang(conn: socket.socket) -> None:
        read_request(conn)
        release.wait(10)

    server = fake(hang)
    store = MinioStore(options_for(server.endpoint, read_timeout=0.3))
    started = time.monotonic()
    try:
        with pytest.raises(StorageError, match="did not answer") as caught:
            store.get("k")
    finally:
        release.set()
    assert time.monotonic() - started < 3
    assert caught.value.retryable is True


def test_server_error_is_retried_then_retryable(fake: Callable[[Handler], TcpFake]) -> None:
    def unavailable(conn: socket.socket) -> None:
        read_request(conn)
        respond(
            conn, "503 Service Unavailable", s3_error_xml("ServiceUnavailable", "Please reduce your rate")
        )

    server = fake(unavailable)
    with pytest.raises(StorageError, match="ServiceUnavailable") as caught:
        MinioStore(options_for(server.endpoint)).get("k")
    assert caught.value.retryable is True
    assert server.connections == 3


def test_bad_credentials_are_not_retried(fake: Callable[[Handler], TcpFake]) -> None:
    def denied(conn: socket.socket) -> None:
        read_request(conn)
        respond(conn, "403 Forbidden", s3_error_xml("InvalidAccessKeyId", "The access key does not exist"))

    server = fake(denied)
    with pytest.raises(StorageError, match="MINIO_ACCESS_KEY") as caught:
        MinioStore(options_for(server.endpoint)).put("k", b"x")
    assert caught.value.retryable is False
    assert server.connections == 1


def test_not_an_s3_server(fake: Callable[[Handler], TcpFake]) -> None:
    def plain(conn: socket.socket) -> None:
        read_request(conn)
        respond(conn, "400 Bad Request", b"Client sent an HTTP request to an HTTPS server.", "text/plain")

    server = fake(plain)
    with pytest.raises(StorageError, match="not an S3 response") as caught:
        MinioStore(options_for(server.endpoint)).get("k")
    assert caught.value.retryable is False
    assert "MINIO_SECURE" in str(caught.value)


def test_https_against_plain_http_server(localbucket_server: RunningServer) -> None:
    options = localbucket_server.s3_options(secure=True, retries=RetryOptions(attempts=2, backoff=(0.05,)))
    with pytest.raises(StorageError, match="MINIO_SECURE=false") as caught:
        MinioStore(options).stat("k")
    assert caught.value.retryable is False


def test_put_if_absent_whose_response_was_lost(
    fake: Callable[[Handler], TcpFake], localbucket_server: RunningServer
) -> None:
    """The PUT lands but the answer is lost; the retry gets 412 and must still report True."""
    upstream = localbucket_server.port
    first = threading.Event()

    def proxy(conn: socket.socket) -> None:
        request = read_request(conn)
        head, _, body = request.partition(b"\r\n\r\n")
        request = head + b"\r\nConnection: close\r\n\r\n" + body
        with socket.create_connection(("127.0.0.1", upstream), timeout=5) as up:
            up.sendall(request)
            response = b""
            while chunk := up.recv(65536):
                response += chunk
        if request.startswith(b"PUT") and not first.is_set():
            first.set()
            return  # the server stored the object; the client never hears about it
        conn.sendall(response)

    direct = MinioStore(localbucket_server.s3_options(bucket="lost-answers"))
    direct.ensure_bucket()
    server = fake(proxy)
    through_proxy = MinioStore(options_for(server.endpoint, bucket="lost-answers"))
    assert through_proxy.put_if_absent("marker", b"mine") is True
    assert first.is_set()
    assert direct.get("marker") == b"mine"
    # Someone else's identical-key object with other bytes: False.
    direct.put("other", b"theirs")
    first.clear()
    assert through_proxy.put_if_absent("other", b"mine") is False
    assert direct.get("other") == b"theirs"


def test_from_env() -> None:
    env = {
        "MINIO_ENDPOINT": "http://minio.local:9000/",
        "MINIO_ACCESS_KEY": "intake",
        "MINIO_SECRET_KEY": "hush-0451",
        "INTAKE_BUCKET": "submissions-2024",
    }
    store = MinioStore.from_env(env, read_timeout=5)
    assert store.options.endpoint == "minio.local:9000"
    assert store.options.secure is False
    assert store.options.bucket == "submissions-2024"
    assert store.options.read_timeout == 5
    assert "hush-0451" not in repr(store)
    secure = MinioStore.from_env({**env, "MINIO_ENDPOINT": "minio.local:9000", "MINIO_SECURE": "true"})
    assert secure.options.secure is True


CREDS = {"MINIO_ACCESS_KEY": "a", "MINIO_SECRET_KEY": "hush-0451"}


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({}, "MINIO_ACCESS_KEY and MINIO_SECRET_KEY"),
        ({"MINIO_ACCESS_KEY": "a"}, "MINIO_SECRET_KEY"),
        ({**CREDS, "MINIO_ENDPOINT": "http://h:1/x y"}, "host:port"),
        ({**CREDS, "MINIO_SECURE": "perhaps"}, "MINIO_SECURE"),
        ({**CREDS, "INTAKE_BUCKET": "Bad_Bucket"}, "bucket"),
        ({**CREDS, "MINIO_ENDPOINT": "host:9000/path"}, "host:port"),
        (
            {
                "MINIO_ACCESS_KEY": "a",
                "MINIO_SECRET_KEY": "hush-0451",
                "MINIO_ENDPOINT": "https://h:1",
                "MINIO_SECURE": "0",
            },
            "secure",
        ),
    ],
)
def test_from_env_errors_name_the_variable(env: dict[str, str], needle: str) -> None:
    with pytest.raises(StorageError, match=needle) as caught:
        MinioStore.from_env(env)
    assert caught.value.retryable is False
    if "MINIO_SECRET_KEY" in env:
        assert env["MINIO_SECRET_KEY"] not in str(caught.value) + str(caught.value.__cause__)


def test_retry_delays() -> None:
    retries = RetryOptions(attempts=5, backoff=(0.5, 2.0))
    assert [retries.delay(n) for n in (1, 2, 3, 4)] == [0.5, 2.0, 2.0, 2.0]
    with pytest.raises(ValueError):
        RetryOptions(backoff=(-1.0,))
    with pytest.raises(ValueError):
        RetryOptions(attempts=0)
