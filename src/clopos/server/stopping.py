"""Seeing a worker's stop signal before its open streams end.

ASGI servers (granian and uvicorn alike) stop a worker by draining it: no new connections,
then the lifespan's shutdown once every in-flight request has ended. An answer that streams
until the server stops (the console's live orders) would hold that stop for as long as it
lasts. So the worker's SIGTERM and SIGINT also set an event such streams watch; the server's
own handling of the signal then goes on as before.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

log = logging.getLogger("clopos.server")

_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def watch_stop_signals(stopping: asyncio.Event) -> Callable[[], None]:
    """Set `stopping` when this process is asked to stop, then hand the signal to the
    handler that was there before. Answers a function that puts those handlers back."""
    if threading.current_thread() is not threading.main_thread():
        log.debug("not the main thread: stop signals are not watched")
        return lambda: None
    loop = asyncio.get_running_loop()
    previous: dict[int, Any] = {}

    def handle(signum: int, frame: FrameType | None) -> None:
        loop.call_soon_threadsafe(stopping.set)
        before = previous.get(signum)
        if callable(before):
            before(signum, frame)
        elif before == signal.SIG_DFL:
            # What the signal would have done: the default action, as if we were not here.
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    for signum in _SIGNALS:
        previous[signum] = signal.getsignal(signum)
        signal.signal(signum, handle)

    def restore() -> None:
        for signum, before in previous.items():
            if signal.getsignal(signum) is handle:
                signal.signal(signum, before)

    return restore
