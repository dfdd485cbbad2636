import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import hammer, wait_until_up


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn offers it

    def do_GET(self):
        status = 200 if self.path == "/ok" else 500
        body = b"ok"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server_port():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_hammer_counts_successes_and_stops_at_its_deadline(server_port):
    started = time.monotonic()

    result = hammer(server_port, "/ok", seconds=0.3, clients=2)

    assert result.ok > 0 and not result.errors
    assert 0.3 <= result.seconds < 2 and time.monotonic() - started < 2
    assert result.per_second == pytest.approx(result.ok / result.seconds)


def test_hammer_counts_other_statuses_as_errors(server_port):
    result = hammer(server_port, "/missing", seconds=0.2, clients=1)

    assert result.ok == 0 and result.errors[500] > 0


def test_a_closed_port_is_an_error_not_a_hang():
    with ThreadingHTTPServer(("127.0.0.1", 0), _Handler) as unused:
        closed_port = unused.server_address[1]  # bound, never served: connections are refused after close

    assert not wait_until_up(closed_port, "/ok", timeout=0.5)
    result = hammer(closed_port, "/ok", seconds=0.2, clients=1)
    assert result.ok == 0 and result.errors["ConnectionRefusedError"] > 0


def test_wait_until_up_sees_a_live_server(server_port):
    assert wait_until_up(server_port, "/ok", timeout=2)
