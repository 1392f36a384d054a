"""Log lines as JSON (`CLOPOS_LOG_FORMAT=json`): one object a line, each naming the request it
was written for by the id its answer carries in `x-request-id`.

The pipeline's metrics piece puts the request's id in `REQUEST_ID` (each request runs in
a task of its own, so the value is that request's for everything it logs).
"""

from __future__ import annotations

import logging
import logging.config
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

REQUEST_ID: ContextVar[str | None] = ContextVar("clopos_request_id", default=None)


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", "request_id"?, "exception"?}` a line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id is not None:
            entry["request_id"] = request_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry).decode()


def json_config() -> dict[str, Any]:
    """A `logging.config.dictConfig` that writes every logger (the ASGI server's own too)
    as JSON lines on stderr; given to granian and uvicorn, and applied in each worker."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {
            "json": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            name: {"handlers": ["json"], "level": "INFO", "propagate": False}
            for name in ("_granian", "granian.access", "uvicorn", "uvicorn.error")
        },
        "root": {"handlers": ["json"], "level": "INFO"},
    }


def configure(log_format: str) -> None:
    """Install the JSON lines on this process's loggers, unless they are already there."""
    if log_format != "json":
        return
    root = logging.getLogger()
    if any(isinstance(handler.formatter, JsonFormatter) for handler in root.handlers):
        return
    logging.config.dictConfig(json_config())
