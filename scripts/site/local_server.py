"""nginx or Caddy over a published folder, on a loopback port, from the recipes in deploy/ (and a
plain Python server of a folder, :func:`serve_folder`, for the benchmarks and browser tests).

Used by tests/test_publish.py and scripts/tools/bench_publish.py. The server runs from a temporary
configuration built around ``deploy/nginx.conf`` (a server block: its ``listen`` and ``root`` lines
are replaced, nothing else) or ``deploy/Caddyfile`` (its address and ``root``), with its own pid,
log and temp paths in a work folder, and unprivileged: as ``nobody`` when the caller is root.
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import socket
import subprocess
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from scripts.paths import ROOT

DEPLOY = ROOT / "deploy"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


class ServerError(Exception):
    """The server could not be configured or started (the message says why)."""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Python's static file handler without its line per request."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """``folder`` over http://127.0.0.1 on a random port (a thread; no server recipe): its address,
    an origin of its own, so a service worker and its caches belong to this caller alone."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unprivileged(cmd: list[str]) -> list[str]:
    """Run as nobody when the caller is root (CI containers): the server needs no privilege."""
    if os.geteuid() == 0:
        return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all", *cmd]
    return cmd


def nginx_config(server_block: str, root: Path, port: int, work: Path) -> Path:
    block, n_listen = re.subn(r"^\s*listen 80;\n", f"    listen 127.0.0.1:{port};\n", server_block, flags=re.M)
    block = re.sub(r"^\s*listen \[::\]:80;\n", "", block, flags=re.M)
    block, n_root = re.subn(r"^(\s*)root [^;]+;", rf"\1root {root};", block, flags=re.M)
    if n_listen != 1 or n_root != 1:
        raise ServerError("deploy/nginx.conf must keep `listen 80;` and one `root …;` line")
    if not BROTLI_MODULE.exists():
        raise ServerError(f"nginx's Brotli module is missing ({BROTLI_MODULE}): "
                          "apt-get install libnginx-mod-http-brotli-static")
    temp = "\n".join(f"    {d}_temp_path {work / d};" for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = work / "nginx.conf"
    conf.write_text(f"""load_module {BROTLI_MODULE};
worker_processes 1;
pid {work / 'nginx.pid'};
error_log {work / 'error.log'} warn;
events {{ worker_connections 256; }}
http {{
    access_log {work / 'access.log'};
{temp}
{block}
}}
""")
    return conf


def caddy_config(text: str, root: Path, port: int, work: Path) -> Path:
    text, n_site = re.subn(r"^reader\.example\.edu \{", f"http://127.0.0.1:{port} {{", text, flags=re.M)
    text, n_root = re.subn(r"^(\s*)root \* \S+", rf"\1root * {root}", text, flags=re.M)
    if n_site != 1 or n_root != 1:
        raise ServerError("deploy/Caddyfile must keep its site address and one `root *` line")
    conf = work / "Caddyfile"
    conf.write_text(f"{{\n\tadmin off\n\tauto_https off\n\tstorage file_system {work / 'caddy-data'}\n}}\n\n" + text)
    return conf


class LocalServer:
    """``kind`` ("nginx" or "caddy") over ``root`` on 127.0.0.1:``port``; ``config`` overrides the recipe."""

    def __init__(self, kind: str, root: Path, work: Path, port: int | None = None, config: Path | None = None) -> None:
        self.kind, self.root, self.work = kind, root, work
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.config = config or DEPLOY / ("nginx.conf" if kind == "nginx" else "Caddyfile")
        work.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:                       # the server runs as nobody: its pid, logs and temp files
            import pwd

            nobody = pwd.getpwnam("nobody")
            os.chown(work, nobody.pw_uid, nobody.pw_gid)

    def __enter__(self) -> "LocalServer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        env = dict(os.environ, HOME=str(self.work), XDG_DATA_HOME=str(self.work), XDG_CONFIG_HOME=str(self.work))
        if self.kind == "nginx":
            conf = nginx_config(self.config.read_text(), self.root, self.port, self.work)
            check = subprocess.run(unprivileged(["nginx", "-t", "-e", "stderr", "-p", str(self.work), "-c", str(conf)]),
                                   capture_output=True, text=True)
            if check.returncode != 0:
                raise ServerError(f"nginx -t: {check.stderr}")
            cmd = ["nginx", "-e", "stderr", "-p", str(self.work), "-c", str(conf), "-g", "daemon off;"]
        else:
            conf = caddy_config(self.config.read_text(), self.root, self.port, self.work)
            cmd = ["caddy", "run", "--config", str(conf), "--adapter", "caddyfile"]
        self.log_path = self.work / f"{self.kind}.out"
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(unprivileged(cmd), stdout=self.log, stderr=subprocess.STDOUT, env=env)
        for _ in range(150):
            try:
                urllib.request.urlopen(self.url, timeout=1).read()
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise ServerError(f"{self.kind} did not start: {self.log_path.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
