"""Configuration: arguments, then the environment at construction time; secrets stay masked."""

from __future__ import annotations

import ssl

import certifi
import httpx
import pytest

from clopos.client import AsyncClient, Client, ConfigurationError, Settings
from clopos.client._config import normalise_base_url
from clopos.client._requests import encode_query
from tests.client.fakes import CONFIG, SECRET, FakeAPI

ENV = {
    "CLOPOS_BASE_URL": "http://env.test/open-api/v2/",
    "CLOPOS_CLIENT_ID": "env-client",
    "CLOPOS_CLIENT_SECRET": "env-secret-value",
    "CLOPOS_BRAND": "envbrand",
    "CLOPOS_VENUE_ID": "4",
    "CLOPOS_INTEGRATOR_ID": "9",
}


def test_environment_fills_what_arguments_leave_out() -> None:
    settings = Settings.resolve(brand="argbrand", environ=ENV)
    assert settings.base_url == "http://env.test"
    assert (settings.client_id, settings.brand, settings.venue_id, settings.integrator_id) == (
        "env-client",
        "argbrand",
        "4",
        "9",
    )
    assert settings.client_secret.reveal() == "env-secret-value"


def test_environment_is_read_when_the_client_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    client = Client()
    monkeypatch.setenv("CLOPOS_BRAND", "changed-later")
    assert client.settings.brand == "envbrand"
    client.close()


def test_missing_configuration_is_named() -> None:
    with pytest.raises(ConfigurationError) as caught:
        Settings.resolve(environ={})
    for name in (
        "CLOPOS_CLIENT_ID",
        "CLOPOS_CLIENT_SECRET",
        "CLOPOS_BRAND",
        "CLOPOS_INTEGRATOR_ID",
    ):
        assert name in str(caught.value)


def test_v1_does_not_need_an_integrator() -> None:
    env = {k: v for k, v in ENV.items() if k != "CLOPOS_INTEGRATOR_ID"}
    assert Settings.resolve(version=1, environ=env).version == 1
    with pytest.raises(ConfigurationError):
        Settings.resolve(version=3, environ=ENV)


def test_v1_call_without_any_venue_fails_before_sending() -> None:
    api = FakeAPI()
    config = {k: v for k, v in CONFIG.items() if k != "integrator_id"}
    http = httpx.Client(transport=api.transport())
    with Client(**config, version=1, http_client=http) as client, pytest.raises(ConfigurationError):
        client.venues.list().page()
    assert api.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://h:1",
        "http://h:1/",
        "http://h:1/open-api",
        "http://h:1/open-api/",
        "http://h:1/open-api/v2",
    ],
)
def test_base_url_accepts_the_documented_forms(url: str) -> None:
    assert normalise_base_url(url) == "http://h:1"


def test_reprs_show_where_not_how() -> None:
    client = Client(**CONFIG)
    for text in (
        repr(client),
        repr(client.settings),
        str(client.settings.client_secret),
        repr(client.venues),
    ):
        assert SECRET not in text
    assert "openapitest" in repr(client) and "client-1" in repr(client)
    client.close()


def test_context_managers_close_only_what_the_client_opened() -> None:
    mine = httpx.Client(transport=FakeAPI().transport())
    with Client(**CONFIG, http_client=mine):
        pass
    assert not mine.is_closed
    with Client(**CONFIG) as client:
        owned = client._core.http
    assert owned.is_closed
    mine.close()


@pytest.mark.anyio
async def test_async_context_manager_closes_its_own_pool() -> None:
    async with AsyncClient(**CONFIG) as client:
        owned = client._core.http
    assert owned.is_closed


def test_a_callers_http_client_hooks_see_every_request() -> None:
    seen: list[str] = []
    http = httpx.Client(
        transport=FakeAPI().transport(),
        event_hooks={"request": [lambda r: seen.append(r.url.path)]},
    )
    with Client(**CONFIG, http_client=http) as client:
        list(client.venues.list())
    assert seen == ["/open-api/v2/auth", "/open-api/v2/venues"]


def test_default_timeouts_are_finite() -> None:
    with Client(**CONFIG) as client:
        timeout = client._core.http.timeout
    assert timeout.connect == 10.0 and timeout.read == 30.0
    with Client(**CONFIG, timeout=2.5) as client:
        assert client._core.http.timeout.read == 2.5


def _tls_of(http: httpx.Client | httpx.AsyncClient) -> ssl.SSLContext:
    return http._transport._pool._ssl_context  # type: ignore[attr-defined,no-any-return]


@pytest.mark.anyio
async def test_clients_share_one_verifying_tls_context(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Loading the CA bundle takes tens of milliseconds: the clients share one context,
    which verifies as httpx's default does, and follows SSL_CERT_FILE as httpx does."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with Client(**CONFIG) as one, Client(**CONFIG) as two:
        shared = _tls_of(one._core.http)
        assert _tls_of(two._core.http) is shared
        async with AsyncClient(**CONFIG) as three:
            assert _tls_of(three._core.http) is shared
    assert shared.verify_mode is ssl.CERT_REQUIRED and shared.check_hostname
    assert shared.get_ca_certs() or shared.cert_store_stats()["x509_ca"] > 0
    monkeypatch.setenv("SSL_CERT_FILE", certifi.where())
    with Client(**CONFIG) as four:
        assert _tls_of(four._core.http) is not shared


def test_query_encoding_uses_bracket_notation() -> None:
    assert encode_query(
        {
            "page": 2,
            "with": ["category", "taxes"],
            "filters": [["type", ["GOODS", "DISH"]], ["giftable", "1"]],
            "include_children": False,
            "skip": None,
        }
    ) == (
        ("page", "2"),
        ("with[0]", "category"),
        ("with[1]", "taxes"),
        ("filters[0][0]", "type"),
        ("filters[0][1][0]", "GOODS"),
        ("filters[0][1][1]", "DISH"),
        ("filters[1][0]", "giftable"),
        ("filters[1][1]", "1"),
        ("include_children", "false"),
    )
    assert encode_query([("with[]", "a"), ("with[]", "b")]) == (("with[]", "a"), ("with[]", "b"))


def test_there_is_no_default_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """A secret meant for a local sandbox is never sent to the real service by default."""
    env = {k: v for k, v in ENV.items() if k != "CLOPOS_BASE_URL"}
    with pytest.raises(ConfigurationError) as caught:
        Settings.resolve(environ=env)
    message = str(caught.value)
    assert message.startswith("missing configuration: base_url / CLOPOS_BASE_URL")
    assert "http://127.0.0.1:8080" in message and "https://integrations.clopos.com" in message
    assert "CLOPOS_CLIENT_ID" not in message  # only what is missing is named
    monkeypatch.delenv("CLOPOS_BASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="CLOPOS_BASE_URL"):
        Client(client_id="x", client_secret="y", brand="b", integrator_id=1)


def test_the_service_and_local_urls_are_named() -> None:
    from clopos.client import LOCAL_URL, SERVICE_URL

    env = {k: v for k, v in ENV.items() if k != "CLOPOS_BASE_URL"}
    assert Settings.resolve(base_url=SERVICE_URL, environ=env).base_url == SERVICE_URL
    assert Settings.resolve(base_url=LOCAL_URL, environ=env).base_url == "http://127.0.0.1:8080"
