"""N kumamap processes on loopback ports behind one nginx: `scripts/serve --replicas N`.

The nginx config is made from deploy/nginx.conf.template in a temporary folder. Every
replica is polled at /_stcore/health; when one fails or comes back, nginx is reloaded with
it marked `down` or not (open-source nginx only checks passively). Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Self

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
FIELD = re.compile(r"\{\{(\w+)\}\}")
STARTUP_SECONDS = 90
CHECK_EVERY_S = 2.0
UPLOAD_MARGIN_BYTES = 1_000_000  # multipart headers around an upload at the app's limit
MAX_FAILS = 1
FAIL_TIMEOUT = "10s"
MALLOC_ARENAS = 2  # per replica, see replica_env


@dataclass(frozen=True)
class Upstream:
    port: int
    is_down: bool = False

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


def render(template: str, values: dict[str, str]) -> str:
    """Fill the template's {{name}} fields; an unknown or unused field is an error."""
    names = set(FIELD.findall(template))
    if names != set(values):
        raise ValueError(f"template fields {sorted(names)} != values {sorted(values)}")
    return FIELD.sub(lambda match: values[match[1]], template)


def nginx_config(upstreams: list[Upstream], listen: int, prefix: Path, max_body: int,
                 template: str | None = None) -> str:
    """The nginx config for these replicas, listening on loopback port `listen`."""
    servers = "\n".join(
        f"        server {u.address} max_fails={MAX_FAILS} fail_timeout={FAIL_TIMEOUT}"
        f"{' down' if u.is_down else ''};" for u in upstreams)
    return render(template if template is not None else TEMPLATE.read_text(encoding="utf-8"), {
        "prefix": str(prefix), "servers": servers, "listen": f"127.0.0.1:{listen}",
        "max_body": str(max_body)})


def upload_limit() -> int:
    from kumamap.upload import MAX_UPLOAD_BYTES  # the app's own limit, so nginx lets it in

    return MAX_UPLOAD_BYTES + UPLOAD_MARGIN_BYTES


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def replicas_down(failing: set[int], failed_before: set[int], exited: set[int],
                  every: set[int]) -> set[int]:
    """The replicas nginx should leave out: a replica whose process is gone at once, a live
    one that failed two checks in a row (a slow answer under load is not a death) — but
    never every live one: a service that is slow everywhere is better than none at all
    (a rerun flood made the only replica miss a check, and nginx then refused everyone)."""
    down = exited | (failing & failed_before)
    if every - exited and down >= every - exited:
        return set(exited)
    return down


def is_healthy(port: int, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                    timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} not up after {STARTUP_SECONDS} s")
        time.sleep(0.2)  # polling a starting server


def find_nginx() -> str | None:
    """nginx on the PATH or where Debian puts it (root's PATH may lack /usr/sbin)."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if Path(p).exists()), None)


def nginx_binary() -> str:
    found = find_nginx()
    if found is None:
        raise RuntimeError("nginx not found: install the Debian package (apt-get install nginx)")
    return found


def check_config(path: Path, prefix: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on a config, with logs kept in `prefix` (no root needed)."""
    return subprocess.run([nginx_binary(), "-t", "-q", "-p", str(prefix), "-e",
                           str(prefix / "error.log"), "-c", str(path)],
                          capture_output=True, text=True, check=False)


def replica_env(environ: Mapping[str, str], data: Path, secret: str) -> dict[str, str]:
    """A replica's environment: the data folder, the shared cookie secret, at most
    MALLOC_ARENAS malloc arenas and Python's objects in malloc's heap, unless the operator
    chose otherwise.

    Streamlit runs each script run in a new thread, and glibc gives threads malloc arenas
    of their own (up to 8 per core) that keep what they once held: over 100 sessions opened
    and closed, RSS grew +6.4 % with glibc's default and +0.7 % with 2 arenas
    (benchmarks/README.md, "Memory over time"). Python's own small-object allocator keeps a
    1 MiB arena while any object in it lives, so the memory of an upload that is let go
    stayed (+38 % after three rounds of three readers); in malloc's heap the housekeeping's
    malloc_trim hands it back (+3 %), for a rerun ~9 % slower ("Readers holding uploads").
    Both are read at start only.
    """
    return {"MALLOC_ARENA_MAX": str(MALLOC_ARENAS), "PYTHONMALLOC": "malloc", **environ,
            "KUMAMAP_DATA": str(data), "STREAMLIT_SERVER_COOKIE_SECRET": secret}


class Replicas:
    """The replicas and nginx, as a context manager: started on entry, stopped on exit."""

    def __init__(self, count: int, data: Path, prefix: Path, listen: int | None = None,
                 script: Path = ROOT / "app.py") -> None:
        self.count, self.data, self.prefix, self.script = count, data, prefix, script
        self.listen = listen or free_port()
        self.url = f"http://127.0.0.1:{self.listen}"
        self.processes: dict[int, subprocess.Popen] = {}
        self.down: set[int] = set()
        self.nginx: subprocess.Popen | None = None
        self.stop = threading.Event()
        self.checker = threading.Thread(target=self.check_forever, daemon=True)
        # One cookie secret for all: Streamlit signs its XSRF cookie with it, and an upload
        # reaching another replica after a failover must still be accepted.
        self.secret = secrets.token_hex(32)

    def start_replica(self, port: int) -> None:
        command = [sys.executable, "-m", "streamlit", "run", str(self.script),
                   "--server.headless=true", f"--server.port={port}",
                   "--server.address=127.0.0.1", "--browser.gatherUsageStats=false",
                   "--server.fileWatcherType=none"]
        env = replica_env(os.environ, self.data, self.secret)
        self.processes[port] = subprocess.Popen(command, cwd=self.script.parent, env=env,
                                                stdout=subprocess.DEVNULL,
                                                stderr=subprocess.DEVNULL)

    def write_config(self) -> Path:
        upstreams = [Upstream(port, port in self.down) for port in self.processes]
        path = self.prefix / "nginx.conf"
        path.write_text(nginx_config(upstreams, self.listen, self.prefix, upload_limit()),
                        encoding="utf-8")
        return path

    def __enter__(self) -> Self:
        self.prefix.mkdir(parents=True, exist_ok=True)
        self.prefix.chmod(0o755)  # nginx's workers (nobody, under root) use the temp paths
        try:
            for _ in range(self.count):
                self.start_replica(free_port())
            for port in self.processes:
                wait_until(lambda port=port: is_healthy(port), f"replica on port {port}")
            path = self.write_config()
            checked = check_config(path, self.prefix)
            if checked.returncode != 0:
                raise RuntimeError(f"nginx -t refused {path}: {checked.stderr.strip()}")
            self.nginx = subprocess.Popen(
                [nginx_binary(), "-p", str(self.prefix), "-e", str(self.prefix / "error.log"),
                 "-c", str(path), "-g", "daemon off;"])
            wait_until(lambda: self.nginx.poll() is not None or is_healthy(self.listen), "nginx")
            if self.nginx.poll() is not None:  # e.g. the port was taken (by another nginx)
                raise RuntimeError(f"nginx exited with {self.nginx.returncode}; see its message")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        self.checker.start()
        return self

    def pids(self) -> list[int]:
        return [process.pid for process in self.processes.values()]

    def kill(self, address: str) -> None:
        """Kill the replica at "127.0.0.1:port" (SIGKILL: no goodbye to its readers)."""
        port = int(address.rsplit(":", 1)[1].split(",")[0])
        self.processes[port].kill()

    def check_forever(self) -> None:
        """Active health checks: reload nginx when a replica's health changes."""
        failed_before: set[int] = set()
        while not self.stop.wait(CHECK_EVERY_S):
            exited = {port for port, process in self.processes.items()
                      if process.poll() is not None}
            failing = {port for port in self.processes if port in exited or not is_healthy(port)}
            down = replicas_down(failing, failed_before, exited, set(self.processes))
            failed_before = failing
            if down != self.down and self.nginx is not None:
                self.down = down
                self.write_config()
                self.nginx.send_signal(signal.SIGHUP)  # reload: new config, no dropped socket
                print(f"replicas down: {sorted(down) or 'none'}; nginx reloaded",
                      file=sys.stderr, flush=True)

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for process in [*self.processes.values(), *([self.nginx] if self.nginx else [])]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.processes.values(), *([self.nginx] if self.nginx else [])]:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def stop_on_signal(number: int, _frame: object) -> None:
    raise KeyboardInterrupt(signal.Signals(number).name)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8501, help="nginx listens here (loopback)")
    parser.add_argument("--data", type=Path, default=ROOT / "geo", help="the data folder")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be 1 or more")
    signal.signal(signal.SIGTERM, stop_on_signal)  # `kill` stops everything, as Ctrl-C does
    with tempfile.TemporaryDirectory(prefix="kumamap-serve-") as prefix, \
            Replicas(args.replicas, args.data.resolve(), Path(prefix), args.port) as replicas:
        ports = ", ".join(str(port) for port in replicas.processes)
        print(f"kumamap at {replicas.url} (nginx) -> replicas on ports {ports}; "
              f"config {prefix}/nginx.conf; Ctrl-C stops", flush=True)
        try:
            while replicas.nginx.poll() is None:
                time.sleep(1)
            print(f"nginx exited with {replicas.nginx.returncode}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
