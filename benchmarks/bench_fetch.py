"""The I/O-bound side of the concurrency study: fetch 50 URLs from a slow local server.

The server listens on 127.0.0.1 only, on a free port, for the length of the benchmark, and
answers each request after a fixed delay (``RXP_BENCH_FETCH_DELAY_MS``, default 20 ms), so a
client's time is almost all waiting: the case where the GIL does not matter and concurrency
is about overlapping waits. One op fetches all 50 URLs; the request count is bounded by
``b.n`` x 50, and the server is shut down when the benchmark ends.

    rxp bench benchmarks/bench_fetch.py --count 6
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import httpx

from rxp._bench import B

URLS = 50
DELAY = int(os.environ.get("RXP_BENCH_FETCH_DELAY_MS", "20")) / 1000
BODY = b"ok\n" * 64


class _SlowHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real API
    disable_nagle_algorithm = True  # else Nagle + delayed ACK add ~40 ms to each answer

    def do_GET(self) -> None:
        time.sleep(DELAY)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # 50 simultaneous connects must not overflow the backlog


def _serve(delay: float) -> None:
    """The server process: print the port, serve until terminated."""
    global DELAY
    DELAY = delay
    _die_with_parent()
    server = _Server(("127.0.0.1", 0), _SlowHandler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


@contextmanager
def slow_server() -> Iterator[list[str]]:
    """A loopback server for the duration of the block; yields the 50 URLs.

    It runs in its own process, so its threads do not compete with the client for the GIL.
    """
    process = subprocess.Popen(
        [sys.executable, __file__, "serve", str(DELAY)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield [f"http://127.0.0.1:{port}/item/{i}" for i in range(URLS)]
    finally:
        process.terminate()
        process.wait(timeout=10)


def _check(response: httpx.Response) -> None:
    if response.status_code != 200 or response.content != BODY:
        raise RuntimeError(f"bad response from the local server: {response.status_code}")


def _sync(urls: list[str]) -> Callable[[B], None]:
    def bench(b: B) -> None:
        with httpx.Client() as client:
            for _ in range(b.n):
                for url in urls:
                    _check(client.get(url))
        b.report_metric(b.n * len(urls) / (b.elapsed_ns() / 1e9), "req/s")

    return bench


def _threads(urls: list[str], workers: int) -> Callable[[B], None]:
    def bench(b: B) -> None:
        limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
        with httpx.Client(limits=limits) as client, ThreadPoolExecutor(workers) as pool:
            for _ in range(b.n):
                for response in pool.map(client.get, urls):
                    _check(response)
        b.report_metric(b.n * len(urls) / (b.elapsed_ns() / 1e9), "req/s")

    return bench


_worker_client: httpx.Client | None = None


def _die_with_parent() -> None:
    """End this process once its parent is gone: a pool worker waiting for tasks, or the
    server, would otherwise outlive a benchmark process killed by a signal."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _worker_start() -> None:
    global _worker_client
    _die_with_parent()
    _worker_client = httpx.Client()


def _worker_get(url: str) -> tuple[int, bytes]:
    assert _worker_client is not None
    response = _worker_client.get(url)
    return response.status_code, response.content


def _processes(urls: list[str], workers: int) -> Callable[[B], None]:
    """A pool of forked processes, each with its own kept-alive ``httpx.Client``; the pool
    is started and warmed before the clock starts (a long-lived pool, as a service keeps
    one), so an op is the 50 fetches plus shipping each answer back by pickle."""

    def bench(b: B) -> None:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start) as pool:
            list(pool.map(_worker_get, urls[:workers]))
            b.reset_timer()
            for _ in range(b.n):
                for status, body in pool.map(_worker_get, urls):
                    if status != 200 or body != BODY:
                        raise RuntimeError(f"bad response from the local server: {status}")
            b.stop_timer()
        b.report_metric(b.n * len(urls) / (b.elapsed_ns() / 1e9), "req/s")

    return bench


def _asyncio(urls: list[str]) -> Callable[[B], None]:
    async def fetch_all(client: httpx.AsyncClient) -> None:
        for response in await asyncio.gather(*(client.get(url) for url in urls)):
            _check(response)

    async def main(n: int) -> None:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=URLS)) as client:
            for _ in range(n):
                await fetch_all(client)

    def bench(b: B) -> None:
        asyncio.run(main(b.n))
        b.report_metric(b.n * len(urls) / (b.elapsed_ns() / 1e9), "req/s")

    return bench


async def _get_raw(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, url: str) -> bytes:
    parts = urlsplit(url)
    writer.write(f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    return await reader.readexactly(length)


def _asyncio_streams(urls: list[str]) -> Callable[[B], None]:
    """The control for httpx's async overhead: plain asyncio streams, one kept-alive
    connection per URL slot, a minimal HTTP/1.1 GET."""

    async def main(n: int) -> None:
        parts = urlsplit(urls[0])
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        connections = [await asyncio.open_connection(host, port) for _ in urls]
        try:
            for _ in range(n):
                bodies = await asyncio.gather(
                    *(_get_raw(r, w, url) for (r, w), url in zip(connections, urls, strict=True))
                )
                if any(body != BODY for body in bodies):
                    raise RuntimeError("bad response from the local server")
        finally:
            for _, writer in connections:
                writer.close()

    def bench(b: B) -> None:
        asyncio.run(main(b.n))
        b.report_metric(b.n * len(urls) / (b.elapsed_ns() / 1e9), "req/s")

    return bench


def BenchmarkFetch(b: B) -> None:
    """``BenchmarkFetch/client=<sync|thread|asyncio|asyncio-streams|process>/workers=N``:
    50 URLs per op (httpx for all but ``asyncio-streams``)."""
    with slow_server() as urls:
        b.run("client=sync/workers=1", _sync(urls))
        for workers in (4, 16, 50):
            b.run(f"client=thread/workers={workers}", _threads(urls, workers))
        b.run(f"client=asyncio/workers={URLS}", _asyncio(urls))
        b.run(f"client=asyncio-streams/workers={URLS}", _asyncio_streams(urls))
        for workers in (4, 16):  # 50 forked processes would only add memory
            b.run(f"client=process/workers={workers}", _processes(urls, workers))


if __name__ == "__main__" and sys.argv[1:2] == ["serve"]:
    _serve(float(sys.argv[2]))
