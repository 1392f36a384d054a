"""Bare-framework hello apps: the baselines our endpoints are measured against."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def _hello(request: Request) -> JSONResponse:
    return JSONResponse({"hello": "world"})


def starlette_hello() -> Starlette:
    return Starlette(routes=[Route("/hello", _hello)])


def fastapi_hello() -> FastAPI:
    app = FastAPI()

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    return app
