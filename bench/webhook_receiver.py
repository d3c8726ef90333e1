#!/usr/bin/env python3
"""Webhook receiver for bench/webhooks.sh: answers 200 to every POST and appends one line per
request to a log: svix-id, the event's data.emitted_at_ms (set by `waybill bench emit-events`)
and the arrival time in Unix milliseconds. Loopback only; stops on SIGTERM.

    webhook_receiver.py PORT LOGFILE
"""
import json
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, LOG = int(sys.argv[1]), sys.argv[2]
lock = threading.Lock()
out = open(LOG, "a", buffering=1)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver behind a proxy would

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        arrived = time.time() * 1000.0
        try:
            emitted = json.loads(body)["data"].get("emitted_at_ms", "")
        except (ValueError, KeyError, AttributeError):
            emitted = ""
        with lock:
            out.write(f"{self.headers.get('svix-id')},{emitted},{arrived:.1f}\n")
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
server.daemon_threads = True
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
server.serve_forever()
