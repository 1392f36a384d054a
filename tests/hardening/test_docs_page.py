"""/docs works without internet: Swagger UI from files installed with the server, pinned, and
a content policy that lets the page load scripts from this server only (issue 11, item 14)."""

from __future__ import annotations

import re
from importlib.metadata import version

from tests.support import LiveServer


def test_the_docs_page_loads_everything_from_this_server(server: LiveServer) -> None:
    page = server.http.get("/docs")
    assert page.status_code == 200
    assert "swagger-ui" in page.text
    # Nothing from another host: every script, style and icon is a path on this server.
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text), page.text
    assert "cdn" not in page.text.lower()
    sources = re.findall(r"(?:src|href)=\"([^\"]+)\"", page.text)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    for source in sources:
        asset = server.http.get(source)
        assert asset.status_code == 200, source
        assert len(asset.content) > 100, source
    bundle = server.http.get("/docs/assets/swagger-ui-bundle.js")
    assert "javascript" in bundle.headers["content-type"]
    # Inline scripts are refused by the page's policy, so none is needed.
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert "<script>" not in page.text
    # Nothing from elsewhere at run time either: no outside validator badge.
    initialiser = server.http.get("/docs/init.js").text
    assert "validatorUrl: null" in initialiser and "http" not in initialiser


def test_the_swagger_ui_files_are_pinned() -> None:
    assert version("fastapi-offline") == "1.7.7"
