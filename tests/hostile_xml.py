"""Hostile XML for the tests of the single XML edge: DOCTYPEs the old byte scans did not see."""

from __future__ import annotations

import contextlib
import errno
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path


def late_doctype(root: str, system: str, *, comment_bytes: int = 70_000) -> bytes:
    """``<!DOCTYPE … SYSTEM system>`` after a long comment (old scans read 4 KB or 64 KB)."""
    return (
        b'<?xml version="1.0"?>\n<!--'
        + b" <a>" * (comment_bytes // 4)
        + b"-->\n"
        + f'<!DOCTYPE r SYSTEM "{system}">\n{root}'.encode()
    )


def utf16_doctype(root: str, *, bom: bool) -> bytes:
    text = f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY e "boom">]>{root}'
    return text.encode("utf-16") if bom else text.encode("utf-16-le")


@contextlib.contextmanager
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "dtd.fifo"
    os.mkfifo(path)
    yield path


def finishes(call: Callable[[], object], *, fifo_path: Path, seconds: float = 5) -> bool:
    """Run ``call`` in a thread; False if it is still blocked after ``seconds`` (then unblock it)."""
    worker = threading.Thread(target=lambda: _swallow(call), daemon=True)
    worker.start()
    worker.join(seconds)
    blocked = worker.is_alive()
    try:  # a reader blocked in open() gets EOF; no reader: ENXIO
        os.close(os.open(fifo_path, os.O_WRONLY | os.O_NONBLOCK))
    except OSError as exc:
        if exc.errno != errno.ENXIO:
            raise
    worker.join(seconds)
    return not blocked


def _swallow(call: Callable[[], object]) -> None:
    with contextlib.suppress(Exception):
        call()
