"""CPU-bound work in forked processes, answering in stages: the report's chapters use every core."""

import os
import pickle
import struct
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
    value; ``finish()`` reaps the child and returns how far its peak memory rose (MB).
    """

    def __init__(self, stages: Callable[..., Iterator], argument):
        read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover — the child; what it sends is checked in the parent
            os.close(read_end)
            _child(stages, argument, write_end)
        os.close(write_end)
        self._pipe = os.fdopen(read_end, "rb")
        self._growth = None

    def receive(self):
        kind, value = self._read()
        if kind == "value":
            return value
        self.finish()
        if kind == "error":
            raise ForkedCallFailed(value)
        raise ForkedCallFailed("the rendering process stopped before its last result")

    def finish(self) -> float:
        if self.pid:
            while self._growth is None:
                kind, value = self._read()
                if kind in ("done", "died"):
                    self._growth = value or 0.0
                elif kind == "error":
                    self._growth = 0.0
            self._pipe.close()
            os.waitpid(self.pid, 0)
            self.pid = 0
        return self._growth or 0.0

    def _read(self):
        header = self._pipe.read(HEADER.size)
        if len(header) < HEADER.size:
            return "died", None
        payload = self._pipe.read(HEADER.unpack(header)[0])
        return pickle.loads(payload)  # noqa: S301 — our own child's answer


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
