"""Which port a server started with port 0 got, asked of the kernel (Linux /proc).

A server that binds port 0 itself can never lose its port to another process, which a port
found free first and bound later can. Prism and uvicorn do not say which port they got at
the log levels the benchmarks run them with, so the kernel is asked: the TCP socket in LISTEN
state on the host, owned by the server's process or one of its children (Prism forks).
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

__all__ = ["listening_port"]

LISTEN = "0A"  # /proc/net/tcp's state code for LISTEN


def _family(pid: int) -> set[int]:
    """`pid` and all its descendants still running."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # gone meanwhile
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    family = {pid}
    while grown := {child for child, parent in parents.items() if parent in family} - family:
        family |= grown
    return family


def _socket_inodes(pids: set[int]) -> set[str]:
    inodes = set()
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(target[len("socket:[") : -1])
        except OSError:
            continue
    return inodes


def _hex_address(host: str) -> str:
    """127.0.0.1 as /proc/net/tcp writes it: the four bytes in host (little-endian) order, in hex."""
    return "".join(f"{int(part):02X}" for part in reversed(host.split(".")))


def _listening(host: str, inodes: set[str]) -> int | None:
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        address, port = fields[1].split(":")
        if fields[3] == LISTEN and fields[9] in inodes and address in (_hex_address(host), "00000000"):
            return int(port, 16)
    return None


def listening_port(process: subprocess.Popen[bytes], host: str, log_path: Path, timeout: float = 90) -> int:
    """Wait until `process` (or a child) listens on `host`, and return the port; raise
    RuntimeError with the log's tail if it exits first or takes longer than `timeout` s."""
    if not Path("/proc/net/tcp").exists():
        raise RuntimeError("finding a server's port needs Linux's /proc")
    deadline = time.monotonic() + timeout
    while (port := _listening(host, _socket_inodes(_family(process.pid)))) is None:
        if process.poll() is not None or time.monotonic() > deadline:
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise RuntimeError(f"{process.args!r} is not listening (exit {process.poll()}):\n{tail}")
        time.sleep(0.1)
    return port
