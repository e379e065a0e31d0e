"""Start and stop local S3-protocol servers on 127.0.0.1, for tests, demos and the sample batch.

* `start_localbucket`: LocalBucket keeps each bucket as a plain folder under `root`, so what
  the pipeline wrote can be inspected with ordinary file tools. It does not check
  credentials and ignores Content-Type (it guesses from the key's extension).
* `start_moto`: moto's S3 in a thread, kept in memory. All moto servers in one process share
  the same state (moto's backends are process-global). Needs the `test` extra.

Both listen on 127.0.0.1 only, on a free port picked by the OS.
"""

from __future__ import annotations

import logging
import os
import selectors
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from records.errors import DependencyError, StorageError

if TYPE_CHECKING:
    from storage.s3 import S3Options

log = logging.getLogger(__name__)

HOST = "127.0.0.1"

# Run in a child process: binds a free port itself (no race), reports it on stdout, and
# exits when its stdin closes, so a crashed parent never leaves a server behind.
_LOCALBUCKET_CHILD = r"""
import http.server, pathlib, sys, threading
import localbucket
root = pathlib.Path(sys.argv[1])
handler = type("RootedS3Handler", (localbucket.S3Handler,), {"data_root": root})
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
def watch_parent():
    sys.stdin.buffer.read()
    server.shutdown()
threading.Thread(target=watch_parent, daemon=True).start()
sys.stdout.write(f"{server.server_address[1]}\n")
sys.stdout.flush()
server.serve_forever(poll_interval=0.1)
server.server_close()
"""


class RunningServer:
    """A started S3-protocol server. Stop it with `stop()` or use it as a context manager.

    Attributes:
        endpoint: "127.0.0.1:PORT".
        access_key: The access key clients should use.
        secret_key: The secret key clients should use.
        kind: "localbucket" or "moto".
        root: The data folder (localbucket), else None.
    """

    def __init__(
        self,
        *,
        endpoint: str,
        access_key: str,
        secret_key: str,
        kind: str,
        stop: Callable[[], None],
        root: Path | None = None,
    ) -> None:
        """Wrap a started server; `stop` is called once by `stop()`."""
        self.endpoint = endpoint
        self.access_key = access_key
        self.secret_key = secret_key
        self.kind = kind
        self.root = root
        self._stop = stop
        self._stopped = False
        self._lock = threading.Lock()

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        return int(self.endpoint.rsplit(":", 1)[1])

    def s3_options(self, bucket: str = "submissions", **overrides: Any) -> S3Options:
        """Return `S3Options` pointing at this server (plain HTTP, region us-east-1).

        Args:
            bucket: The bucket name.
            **overrides: Further `S3Options` fields (e.g. `retries`).
        """
        from storage.s3 import S3Options

        fields: dict[str, Any] = {
            "endpoint": self.endpoint,
            "access_key": self.access_key,
            "secret_key": self.secret_key,
            "secure": False,
            "bucket": bucket,
        }
        return S3Options(**{**fields, **overrides})

    def stop(self) -> None:
        """Stop the server and free its port. Safe to call more than once."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        self._stop()
        log.debug("stopped %s at %s", self.kind, self.endpoint)

    def __enter__(self) -> RunningServer:
        """Return self."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server."""
        self.stop()

    def __repr__(self) -> str:
        """Show kind and endpoint."""
        return f"RunningServer({self.kind} at {self.endpoint})"


def wait_for_port(port: int, *, timeout: float, host: str = HOST, what: str = "server") -> None:
    """Block until a TCP connection to host:port succeeds.

    Args:
        port: The TCP port.
        timeout: Seconds to keep trying.
        host: The address (default 127.0.0.1).
        what: Named in the error message.

    Raises:
        records.errors.StorageError: Nothing answered within `timeout` seconds.
    """
    deadline = time.monotonic() + timeout
    last: OSError | None = None
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError as e:
            last = e
            time.sleep(0.05)
    raise StorageError(
        f"{what} did not start answering on {host}:{port} within {timeout:g} s (last error: {last})"
    )


class _QuietThreadingHTTPServer(ThreadingHTTPServer):
    """Logs handler crashes through `logging` instead of printing them to stderr."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.warning("localbucket request from %s crashed", client_address, exc_info=True)


def start_localbucket(
    root: Path,
    access_key: str = "localbucket",
    secret_key: str = "localbucket-secret",
    *,
    mode: Literal["thread", "process"] = "thread",
    startup_timeout: float = 10.0,
    log_file: Path | None = None,
) -> RunningServer:
    """Serve `root` with LocalBucket on 127.0.0.1 and a free port.

    Buckets are the folders directly under `root`; objects are files below them. LocalBucket
    does not check credentials; the keys given are only handed to clients.

    Args:
        root: The data folder; created if missing.
        access_key: The access key clients should use.
        secret_key: The secret key clients should use.
        mode: "thread" runs the server in this process (starts in milliseconds); "process"
            runs it in a child Python process, isolated from this process's GIL and crashes.
        startup_timeout: Seconds to wait for the server to answer.
        log_file: "process" mode only: where the child's stderr goes (default: discarded).

    Raises:
        records.errors.StorageError: The server did not start within `startup_timeout`.
    """
    root = root.resolve()
    root.mkdir(parents=True, exist_ok=True)
    if mode == "thread":
        return _start_localbucket_thread(root, access_key, secret_key, startup_timeout)
    if mode == "process":
        return _start_localbucket_process(root, access_key, secret_key, startup_timeout, log_file)
    raise ValueError(f"mode must be 'thread' or 'process', got {mode!r}")


def _start_localbucket_thread(root: Path, access_key: str, secret_key: str, timeout: float) -> RunningServer:
    import localbucket  # type: ignore[import-untyped]  # a single-file module without py.typed

    # A subclass per server: S3Handler keeps data_root as a class attribute.
    handler = type("RootedS3Handler", (localbucket.S3Handler,), {"data_root": root})
    server = _QuietThreadingHTTPServer((HOST, 0), handler)
    port = int(server.server_address[1])
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name=f"localbucket-{port}", daemon=True
    )
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    try:
        wait_for_port(port, timeout=timeout, what="localbucket")
    except BaseException:
        stop()
        raise
    log.debug("localbucket (thread) serving %s at %s:%d", root, HOST, port)
    return RunningServer(
        endpoint=f"{HOST}:{port}",
        access_key=access_key,
        secret_key=secret_key,
        kind="localbucket",
        stop=stop,
        root=root,
    )


def _start_localbucket_process(
    root: Path, access_key: str, secret_key: str, timeout: float, log_file: Path | None
) -> RunningServer:
    stderr = log_file.open("ab") if log_file is not None else subprocess.DEVNULL
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", _LOCALBUCKET_CHILD, str(root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
    finally:
        if log_file is not None and not isinstance(stderr, int):
            stderr.close()
    assert proc.stdin is not None and proc.stdout is not None

    def stop() -> None:
        if proc.stdin is not None and not proc.stdin.closed:
            proc.stdin.close()  # the child shuts down when its stdin closes
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    try:
        port = _read_port(proc, timeout)
        proc.stdout.close()
        wait_for_port(port, timeout=timeout, what="localbucket")
    except BaseException:
        stop()
        raise
    log.debug("localbucket (pid %d) serving %s at %s:%d", proc.pid, root, HOST, port)
    return RunningServer(
        endpoint=f"{HOST}:{port}",
        access_key=access_key,
        secret_key=secret_key,
        kind="localbucket",
        stop=stop,
        root=root,
    )


def _read_port(proc: subprocess.Popen[bytes], timeout: float) -> int:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    buffer = b""
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StorageError(f"localbucket did not report its port within {timeout:g} s")
            if not selector.select(remaining):
                continue
            chunk = os.read(proc.stdout.fileno(), 64)
            if not chunk:
                code = proc.wait(timeout=5)
                raise StorageError(
                    f"localbucket exited with code {code} before it started; pass log_file= to see why"
                )
            buffer += chunk
    return int(buffer.split(b"\n", 1)[0])


def start_moto(
    access_key: str = "testing",
    secret_key: str = "testing",
    *,
    quiet: bool = True,
    startup_timeout: float = 10.0,
) -> RunningServer:
    """Run moto's S3 server in a thread on 127.0.0.1 and a free port.

    moto keeps objects in memory and shares them between every moto server of this process.
    It does not check credentials by default.

    Args:
        access_key: The access key clients should use.
        secret_key: The secret key clients should use.
        quiet: Silence werkzeug's per-request log lines (sets the "werkzeug" logger to
            WARNING if nobody has configured it).
        startup_timeout: Seconds to wait for the server to answer.

    Raises:
        records.errors.DependencyError: moto is not installed (`pip install -e .[test]`).
        records.errors.StorageError: The server did not start within `startup_timeout`.
    """
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as e:
        raise DependencyError("moto is not installed: pip install -e '.[test]' (moto[s3])") from e
    if quiet:
        werkzeug_log = logging.getLogger("werkzeug")
        if werkzeug_log.level == logging.NOTSET:
            werkzeug_log.setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address=HOST, port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    try:
        wait_for_port(port, timeout=startup_timeout, what="moto")
    except BaseException:
        server.stop()
        raise
    log.debug("moto serving at %s:%d", HOST, port)

    def stop() -> None:
        server.stop()
        # ThreadedMotoServer.stop() shuts the loop down but leaves the socket open.
        wsgi_server = getattr(server, "_server", None)
        if wsgi_server is not None:
            wsgi_server.server_close()

    return RunningServer(
        endpoint=f"{HOST}:{port}",
        access_key=access_key,
        secret_key=secret_key,
        kind="moto",
        stop=stop,
    )
