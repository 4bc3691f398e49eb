"""Wake nameko-grpc's connection loop when there is something to send.

nameko-grpc 1.3.0 runs one loop per HTTP/2 connection that writes pending frames, then
`select()`s on the socket with a 10 ms timeout. A reply (or a new client request)
queued by a worker greenthread waits for the next poll, so every call pays up to two
such waits (~12 ms p50 measured). Polling faster burns CPU while idle.

Instead each connection gets a socketpair: the loop `select()`s on the peer socket and
the wake end, and anything that queues outbound work (a stream populated or closed, a
request queued, a shutdown) writes one byte to the wake end. The idle timeout only
guards against a missed wake-up. The deadline watchdogs, which slept 1 ms in a loop for
every call, sleep in 50 ms steps instead. Sockets get TCP_NODELAY, as grpcio's do.

`install()` patches the classes in place (they are created deep inside nameko-grpc's
channel code, so subclassing cannot reach them); it is idempotent.
"""

from __future__ import annotations

import select
import socket
import time
from typing import Any

IDLE_TIMEOUT = 1.0
WATCHDOG_STEP = 0.05

_installed = False


class Waker:
    def __init__(self) -> None:
        self.reader, self.writer = socket.socketpair()
        self.reader.setblocking(False)
        self.writer.setblocking(False)

    def wake(self) -> None:
        try:
            self.writer.send(b"\0")
        except (BlockingIOError, OSError):
            pass  # already pending, or closed during shutdown

    def drain(self) -> None:
        try:
            while self.reader.recv(4096):
                pass
        except (BlockingIOError, OSError):
            pass

    def close(self) -> None:
        self.reader.close()
        self.writer.close()


def install() -> None:
    global _installed
    if _installed:
        return
    from nameko_grpc import client as client_module
    from nameko_grpc import connection as conn_module
    from nameko_grpc import entrypoint as entrypoint_module
    from nameko_grpc import streams as streams_module

    ConnectionManager = conn_module.ConnectionManager
    ClientConnectionManager = conn_module.ClientConnectionManager
    ServerConnectionManager = conn_module.ServerConnectionManager
    SendStream = streams_module.SendStream
    StreamBase = streams_module.StreamBase

    original_init = ConnectionManager.__init__

    def __init__(self: Any, sock: Any, client_side: bool) -> None:
        original_init(self, sock, client_side)
        self.waker = Waker()
        # Woken promptly, the loop writes headers and data in separate segments; with
        # Nagle's algorithm on, the second waits for the peer's delayed ACK (~40 ms).
        # grpcio sets TCP_NODELAY too.
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def run_forever(self: Any) -> None:
        self.conn.initiate_connection()
        with self.cleanup_on_exit():
            try:
                while self.run:
                    self.on_iteration()
                    if not self.run:
                        break
                    self.sock.sendall(self.conn.data_to_send())
                    ready, _, _ = select.select(
                        [self.sock, self.waker.reader], [], [], IDLE_TIMEOUT
                    )
                    if self.waker.reader in ready:
                        self.waker.drain()
                    if self.sock not in ready:
                        continue
                    data = self.sock.recv(65535)
                    if not data:
                        break
                    self._dispatch_events(self.conn.receive_data(data))
            finally:
                self.waker.close()

    handlers = {
        "RequestReceived": "request_received",
        "ResponseReceived": "response_received",
        "DataReceived": "data_received",
        "StreamEnded": "stream_ended",
        "StreamReset": "stream_reset",
        "WindowUpdated": "window_updated",
        "RemoteSettingsChanged": "settings_changed",
        "SettingsAcknowledged": "settings_acknowledged",
        "TrailersReceived": "trailers_received",
        "ConnectionTerminated": "connection_terminated",
    }

    def _dispatch_events(self: Any, events: list) -> None:
        for event in events:
            name = handlers.get(type(event).__name__)
            if name:
                getattr(self, name)(event)

    def stop(self: Any) -> None:
        self.conn.close_connection()
        self.terminating = True
        self.waker.wake()
        self.stopped.wait(5)

    def attach(self: Any, stream: Any) -> Any:
        stream.wake = self.waker.wake
        return stream

    original_send_request = ClientConnectionManager.send_request

    def send_request(self: Any, request_headers: Any) -> Any:
        request_stream, response_stream = original_send_request(self, request_headers)
        attach(self, request_stream)
        self.waker.wake()
        return request_stream, response_stream

    original_request_received = ServerConnectionManager.request_received

    def request_received(self: Any, event: Any) -> None:
        original_request_received(self, event)
        stream = self.send_streams.get(event.stream_id)
        if stream is not None:
            attach(self, stream)

    def populate(self: Any, iterable: Any) -> None:
        for item in iterable:
            if self.closed:
                return
            self.queue.put(item)
            _wake(self)
        self.close()

    original_close = StreamBase.close

    def close(self: Any, error: Any = None) -> None:
        original_close(self, error)
        _wake(self)

    def _wake(stream: Any) -> None:
        wake = getattr(stream, "wake", None)
        if wake is not None:
            wake()

    def watchdog(self: Any, first: Any, second: Any, deadline: float) -> None:
        """Shared shape of the client's and server's deadline watchdogs."""
        from grpc import StatusCode
        from nameko_grpc.errors import GrpcError

        started = time.monotonic()
        while not (first.closed and second.closed):
            remaining = deadline - (time.monotonic() - started)
            if remaining <= 0:
                error = GrpcError(code=StatusCode.DEADLINE_EXCEEDED, message="Deadline Exceeded")
                first.close()
                second.close(error)
                return
            time.sleep(min(WATCHDOG_STEP, remaining))

    ConnectionManager.__init__ = __init__
    ConnectionManager.run_forever = run_forever
    ConnectionManager._dispatch_events = _dispatch_events
    ConnectionManager.stop = stop
    ClientConnectionManager.send_request = send_request
    ServerConnectionManager.request_received = request_received
    SendStream.populate = populate
    StreamBase.close = close
    entrypoint_module.GrpcServer.timeout = watchdog
    client_module.ClientBase.timeout = watchdog
    _installed = True
