"""The request pipeline in front of every route: small pure-ASGI pieces sharing one typed
`RequestContext`, each with one job, composed in order by `install`."""

from __future__ import annotations

from starlette.applications import Starlette

from clopos.server.pipeline.authentication import Authentication
from clopos.server.pipeline.caching import ResponseCaching
from clopos.server.pipeline.faults import Faults
from clopos.server.pipeline.limits import RequestLimits
from clopos.server.pipeline.metrics import RequestMetrics
from clopos.server.pipeline.query_names import UnknownParameters
from clopos.server.pipeline.rejections import Rejections
from clopos.server.pipeline.request_ids import RequestIds
from clopos.server.pipeline.writes import IdempotentWrites

# Outermost first: the context and request id, the metrics (they count every answer), the
# audit of rejections (it must see every refusal below it), the request's size and shape
# (before anything reads its body), who is calling, the query parameters the route ignores
# (named on cached answers too, and refused before a write runs), and only then the pieces
# that may answer for the route: a stored replay of a write, a cached read.
PIECES = (
    RequestIds,
    RequestMetrics,
    Rejections,
    RequestLimits,
    Authentication,
    UnknownParameters,
    Faults,  # sandbox controls only: injected errors and delays
    IdempotentWrites,
    ResponseCaching,
)


def install(app: Starlette) -> None:
    """Put the pipeline in front of `app`'s routes."""
    for piece in reversed(PIECES):  # Starlette wraps the last added outermost
        app.add_middleware(piece)
