#!/usr/bin/python3
# A misbehaving http server on 127.0.0.1 for the download tests: serves DIR with byte ranges,
# and can be slow, fail the first requests, ignore ranges, or accept and never answer.
#
#   httpd.py --dir DIR --port-file F [--delay S] [--fail N] [--no-range] [--hang] [--log F]
#
# --delay S     sleep S seconds after each 64 KiB sent (a slow link)
# --fail N      answer the first N GETs of each path with 503 (retries)
# --no-range    ignore Range headers (a server that cannot resume: 200 and the whole file)
# --hang        accept connections and never send a byte (an unreachable service: timeouts)
# --log F       append "METHOD PATH RANGE STATUS" per request
# The port is written to F once it listens; it runs until killed.
import argparse
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--fail", type=int, default=0)
    ap.add_argument("--no-range", action="store_true")
    ap.add_argument("--hang", action="store_true")
    ap.add_argument("--log")
    a = ap.parse_args()
    lock = threading.Lock()
    failed = {}

    def log(line):
        if a.log:
            with lock, open(a.log, "a") as f:
                f.write(line + "\n")

    if a.hang:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(64)
        write_port(a.port_file, s.getsockname()[1])
        conns = []
        while True:
            c, _ = s.accept()
            conns.append(c)  # kept open, never answered
            log("ACCEPT")

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            rng = self.headers.get("Range")
            with lock:
                fail = failed.get(self.path, 0) < a.fail
                if fail:
                    failed[self.path] = failed.get(self.path, 0) + 1
            if fail:
                log(f"GET {self.path} {rng} 503")
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            path = os.path.join(a.dir, self.path.lstrip("/").split("?")[0])
            if not os.path.isfile(path):
                log(f"GET {self.path} {rng} 404")
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            size = os.path.getsize(path)
            start = 0
            if rng and not a.no_range and rng.startswith("bytes=") and rng.endswith("-"):
                start = int(rng[6:-1])
            if start >= size and size > 0:
                log(f"GET {self.path} {rng} 416")
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206 if start else 200
            log(f"GET {self.path} {rng} {status}")
            self.send_response(status)
            self.send_header("Content-Length", str(size - start))
            if start:
                self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
            self.send_header("Accept-Ranges", "none" if a.no_range else "bytes")
            self.end_headers()
            with open(path, "rb") as f:
                f.seek(start)
                while True:
                    b = f.read(65536)
                    if not b:
                        break
                    try:
                        self.wfile.write(b)
                    except OSError:
                        return
                    if a.delay:
                        time.sleep(a.delay)

    ThreadingHTTPServer.daemon_threads = True
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
    write_port(a.port_file, httpd.server_address[1])
    httpd.serve_forever()


def write_port(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{port}\n")
    os.rename(tmp, path)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
