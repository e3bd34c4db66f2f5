"""CPU-bound work in forked processes, answering in stages: the report's chapters use every core."""

import os
import pickle
import select
import signal
import struct
import time
import traceback
from collections.abc import Callable, Iterator

HEADER = struct.Struct("!Q")


class ForkedCallFailed(RuntimeError):
    """A forked call raised, or its process died before answering."""


def fork_available() -> bool:
    return hasattr(os, "fork") and os.path.exists("/proc/self/status")


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_start() -> float:
    """Resets this process's peak resident memory (VmHWM) where Linux allows it; returns the current one."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        pass
    return _status_mb("VmRSS")


def peak_growth(start: float) -> float:
    """How far the peak resident memory rose above ``start`` (MB)."""
    return max(_status_mb("VmHWM") - start, 0.0)


class Forked:
    """``stages(argument)``, a generator, running in a child forked from this process.

    The child starts with everything already imported and warmed up (copy-on-write), sends each
    value the generator yields through a pipe as soon as it is ready — so the parent can go on
    with a first result while the child works on the next — and leaves with os._exit, touching
    nothing of the parent (database connections, atexit hooks). ``receive()`` returns the next
    value; ``finish()`` reaps the child and returns how far its peak memory rose (MB). A child
    that has not finished ``timeout`` seconds after it started is killed.
    """

    def __init__(self, stages: Callable[..., Iterator], argument, timeout: float):
        read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover — the child; what it sends is checked in the parent
            os.close(read_end)
            _child(stages, argument, write_end)
        os.close(write_end)
        self._fd = read_end
        self._timeout = timeout
        self._deadline = time.monotonic() + timeout
        self._growth: float | None = None

    def receive(self):
        kind, value = self._read()
        if kind == "value":
            return value
        self.finish()
        if kind == "error":
            raise ForkedCallFailed(value)
        if kind == "timeout":
            raise ForkedCallFailed(f"a rendering process took more than {self._timeout:g} s and was stopped")
        raise ForkedCallFailed("a rendering process stopped before its last result")

    def finish(self) -> float:
        if self.pid:
            while self._growth is None:
                kind, value = self._read()
                if kind == "done":
                    self._growth = value
                elif kind in ("error", "died", "timeout"):
                    self._growth = 0.0
            os.close(self._fd)
            os.waitpid(self.pid, 0)
            self.pid = 0
        return self._growth or 0.0

    def _read(self):
        try:
            header = self._read_exactly(HEADER.size)
            payload = header and self._read_exactly(HEADER.unpack(header)[0])
        except TimeoutError:
            os.kill(self.pid, signal.SIGKILL)
            return "timeout", None
        if not payload:
            return "died", None
        return pickle.loads(payload)  # noqa: S301 — our own child's answer

    def _read_exactly(self, size: int) -> bytes | None:
        chunks, left = [], size
        while left:
            remaining = self._deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._fd], [], [], remaining)[0]:
                raise TimeoutError
            chunk = os.read(self._fd, min(left, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)


def _child(stages: Callable[..., Iterator], argument, write_end: int) -> None:  # pragma: no cover — forked
    code = 0
    try:
        with os.fdopen(write_end, "wb") as pipe:

            def send(kind, value):
                payload = pickle.dumps((kind, value))
                pipe.write(HEADER.pack(len(payload)) + payload)
                pipe.flush()

            try:
                start = peak_start()
                for value in stages(argument):
                    send("value", value)
                send("done", peak_growth(start))
            except BaseException:  # noqa: BLE001 — everything goes back to the parent, which raises
                code = 1
                send("error", traceback.format_exc(limit=8))
    finally:
        os._exit(code)
