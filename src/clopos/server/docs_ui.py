"""`/docs`: Swagger UI from files installed with the server (the `fastapi-offline` package's
copy of Swagger UI 5.32.6, pinned), never from a CDN: the page works on a network without
internet, and its content policy lets it load scripts from this server only."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

ASSETS = "/docs/assets"
_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon.png")

_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Clopos Open API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<link rel="icon" href="{ASSETS}/favicon.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
"""

# In a file of its own, not inline: the page's policy allows no inline script.
_INIT = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null,  // no badge from an outside validator
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
"""


def assets_directory() -> Path:
    """Where the installed Swagger UI files are."""
    return Path(str(files("fastapi_offline") / "static"))


def install(app: FastAPI) -> None:
    """Serve the docs page, its initialiser and the Swagger UI files."""
    directory = assets_directory()
    missing = [name for name in _FILES if not (directory / name).is_file()]
    if missing:
        raise RuntimeError(f"Swagger UI files missing from {directory}: {missing}")

    async def page(request: Request) -> Response:
        return HTMLResponse(_PAGE)

    async def initialiser(request: Request) -> Response:
        return Response(_INIT, media_type="text/javascript")

    # Plain routes, as FastAPI's own docs page is: not API operations.
    app.add_route("/docs", page, methods=["GET"], include_in_schema=False)
    app.add_route("/docs/init.js", initialiser, methods=["GET"], include_in_schema=False)
    app.mount(ASSETS, StaticFiles(directory=directory), name="docs-assets")
