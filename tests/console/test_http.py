"""The console's sign-in, sessions, CSRF checks, throttling and brand limits, over HTTP as a
browser's forms would use them (no browser), on both databases."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from clopos.core.operators import service as operators
from clopos.core.operators.service import _hasher as PRODUCTION_HASHER
from tests.console.helpers import (
    PASSWORD,
    api_order,
    browser_client,
    csrf_of,
    operator,
    push_order,
    sign_in,
    signed_in,
)
from tests.legacy_seals import old_console_seal
from tests.support import LiveServer

TEMPLATES = Path(__file__).parents[2] / "src" / "clopos" / "console" / "templates"


def _cookie_attributes(answer: httpx.Response, name: str) -> list[str]:
    for header in answer.headers.get_list("set-cookie"):
        if header.startswith(f"{name}="):
            return [part.strip().lower() for part in header.split(";")]
    raise AssertionError(f"no {name} cookie set")


def test_sign_in_sets_a_strict_http_only_session_cookie(server: LiveServer) -> None:
    client = browser_client(server)
    name = operator(server)
    answer = sign_in(client, name)
    assert answer.status_code == 303 and answer.headers["location"] == "/console/"
    attributes = _cookie_attributes(answer, "clopos_console")
    assert {"httponly", "samesite=strict", "path=/console"} <= set(attributes)
    assert "secure" not in attributes  # plain HTTP: the browser would never send it back
    page = client.get("/console/b/openapitest/orders")
    assert page.status_code == 200 and name in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


def test_the_cookie_is_secure_over_tls_and_behind_a_trusted_tls_proxy(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server(forwarded_allow_ips="127.0.0.1")
    name = operator(live)
    over_tls = browser_client(live)
    over_tls.base_url = httpx.URL("https://testserver")
    assert "secure" in _cookie_attributes(sign_in(over_tls, name), "clopos_console")
    # Behind a TLS-ending proxy the browser speaks HTTPS to the proxy, which forwards plain
    # HTTP: httpx's jar would not send a Secure cookie over http, so this carries it by hand.
    proxied = browser_client(live, **{"x-forwarded-proto": "https"})
    form = proxied.get("/console/login")
    assert "secure" in _cookie_attributes(form, "clopos_console_login")
    nonce = form.cookies["clopos_console_login"]
    csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
    answer = proxied.post(
        "/console/login",
        data={"csrf": csrf, "name": name, "password": PASSWORD},
        headers={"cookie": f"clopos_console_login={nonce}"},
    )
    assert "secure" in _cookie_attributes(answer, "clopos_console")
    # Without trusted proxies, the header is not what decides.
    plain = make_server()
    untrusted = browser_client(plain, **{"x-forwarded-proto": "https"})
    assert "secure" not in _cookie_attributes(
        untrusted.get("/console/login"), "clopos_console_login"
    )


def test_only_a_hash_of_the_session_token_is_stored(server: LiveServer) -> None:
    client, name = signed_in(server)
    token = client.cookies["clopos_console"]
    state = server.app.state

    async def lookup() -> object:
        return await state.db.read(
            operators.session_operator, operators.token_hash(token), state.console.now()
        )

    found = server._portal.call(lookup)  # type: ignore[union-attr]
    assert found is not None and found.name == name  # type: ignore[attr-defined]
    assert operators.token_hash(token) == hashlib.sha256(token.encode()).hexdigest()

    async def by_raw_token() -> object:
        return await state.db.read(operators.session_operator, token, state.console.now())

    assert server._portal.call(by_raw_token) is None  # type: ignore[union-attr]


def test_wrong_passwords_are_refused_then_throttled(make_server: Callable[..., LiveServer]) -> None:
    live = make_server()
    name = operator(live)
    client = browser_client(live)
    attempts = live.app.state.console.settings.login_attempts
    for _ in range(attempts):
        wrong = sign_in(client, name, "not the password")
        assert wrong.status_code == 401 and "Wrong name or password" in wrong.text
    throttled = sign_in(client, name)  # even the right password, from this address
    assert throttled.status_code == 429 and "Too many failed sign-ins" in throttled.text
    assert int(throttled.headers["retry-after"]) > 0
    assert "clopos_console=" not in throttled.headers.get("set-cookie", "")
    # An unknown name is refused the same way (no hint which names exist).
    unknown = sign_in(client, "nobody-here", "whatever")
    assert unknown.status_code == 401 and "Wrong name or password" in unknown.text
    # The window passes (the console's clock, not a sleep): the right password works again.
    live.app.state.console.advance(live.app.state.console.settings.login_window_seconds * 2)
    assert sign_in(client, name).status_code == 303
    live.flush_audit()
    events = live.admin_json("audit", "--outcome", "rejected", "--limit", "100")
    reasons = {e["reason"] for e in events if e["event"] == "console_login"}
    assert reasons == {"invalid_credentials", "rate_limited"}


def test_a_forged_form_post_is_refused(make_server: Callable[..., LiveServer]) -> None:
    live = make_server()
    client, _ = signed_in(live)
    order = push_order(live)
    csrf = csrf_of(client, "/console/b/openapitest/orders")
    accept = f"/console/b/openapitest/orders/{order['id']}/accept"
    # No token, a wrong token, the right token sent from another site, another session's.
    assert client.post(accept, data={"back": "/console/"}).status_code == 403
    assert client.post(accept, data={"csrf": "0" * 64}).status_code == 403
    cross = client.post(accept, data={"csrf": csrf}, headers={"sec-fetch-site": "cross-site"})
    assert cross.status_code == 403
    other, _ = signed_in(live)
    assert other.post(accept, data={"csrf": csrf}).status_code == 403
    # Not a form at all.
    as_json = client.post(accept, json={"csrf": csrf})
    assert as_json.status_code == 415
    assert api_order(live, order["id"])["status"] == "PENDING"
    # The real form's token, from the console itself: accepted.
    done = client.post(accept, data={"csrf": csrf, "back": "/console/b/openapitest/orders"})
    assert done.status_code == 303 and api_order(live, order["id"])["status"] == "RECEIVED"
    # The script's way: the token in a header.
    receipt = api_order(live, order["id"])["receipt_id"]
    scripted = client.post(
        f"/console/b/openapitest/receipts/{receipt}/status",
        data={"order_status": "READY"},
        headers={"x-csrf-token": csrf, "x-console-fetch": "1"},
    )
    assert scripted.status_code == 200 and "ready" in scripted.json()["message"]


def test_an_expired_session_is_refused(make_server: Callable[..., LiveServer]) -> None:
    live = make_server()
    client, _ = signed_in(live)
    order = push_order(live)
    csrf = csrf_of(client, "/console/b/openapitest/orders")
    console = live.app.state.console
    console.advance(console.session_lifetime.total_seconds() + 1)
    page = client.get("/console/b/openapitest/orders")
    assert page.status_code == 303 and page.headers["location"].startswith("/console/login")
    posted = client.post(f"/console/b/openapitest/orders/{order['id']}/accept", data={"csrf": csrf})
    assert posted.status_code == 303 and posted.headers["location"] == "/console/login"
    scripted = client.get("/console/b/openapitest/orders/live", headers={"x-console-fetch": "1"})
    assert scripted.status_code == 401
    assert api_order(live, order["id"])["status"] == "PENDING"


def test_signing_out_ends_the_session_on_the_server(server: LiveServer) -> None:
    client, _ = signed_in(server)
    token = client.cookies["clopos_console"]
    csrf = csrf_of(client, "/console/b/openapitest/orders")
    assert client.post("/console/logout", data={"csrf": csrf}).status_code == 303
    replayed = browser_client(server).get(
        "/console/b/openapitest/orders", headers={"cookie": f"clopos_console={token}"}
    )
    assert replayed.status_code == 303 and "/console/login" in replayed.headers["location"]


def test_integrator_tokens_never_open_the_console(server: LiveServer) -> None:
    client = browser_client(server)
    headers = {**server.v2_headers(), "authorization": "Bearer " + server.v2_headers()["x-token"]}
    page = client.get("/console/b/openapitest/orders", headers=headers)
    assert page.status_code == 303 and page.headers["location"].startswith("/console/login")
    script = client.get(
        "/console/b/openapitest/orders/live", headers={**headers, "x-console-fetch": "1"}
    )
    assert script.status_code == 401


def test_console_sessions_never_open_the_api(make_server: Callable[..., LiveServer]) -> None:
    live = make_server(admin_token="operator-token-for-this-test")
    client, _ = signed_in(live)
    token = client.cookies["clopos_console"]
    cookie = {"cookie": f"clopos_console={token}"}
    assert client.get("/open-api/v2/venues", headers=cookie).status_code == 401
    assert client.get("/open-api/venues", headers=cookie).status_code == 401
    assert client.get("/admin/api/brands/openapitest/orders", headers=cookie).status_code == 401
    sandbox = client.post("/admin/api/sandbox/reset", headers=cookie)
    assert sandbox.status_code == 401


def test_an_account_limited_to_a_brand_sees_and_does_nothing_else(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server()
    live.admin("brand", "create", "other", "--mode", "test")
    client, name = signed_in(live, "other")
    order = push_order(live)
    assert client.get("/console/").headers["location"] == "/console/b/other/orders"
    assert client.get("/console/b/openapitest/orders").status_code == 403
    assert client.get("/console/b/openapitest/menu").status_code == 403
    assert client.get("/console/b/openapitest/events").status_code == 403
    # Its own brand's token does not carry to another brand's actions either.
    csrf = csrf_of(client, "/console/b/other/orders")
    refused = client.post(
        f"/console/b/openapitest/orders/{order['id']}/accept", data={"csrf": csrf}
    )
    assert refused.status_code == 403
    assert api_order(live, order["id"])["status"] == "PENDING"
    # What is not one brand's (integrators, new brands) is not this account's to change.
    made = client.post(
        "/console/b/other/integrators", data={"csrf": csrf, "action": "create", "name": "x"}
    )
    assert made.status_code == 303 and "error" in made.cookies.get("clopos_console_flash", "")
    assert client.post("/console/brands", data={"csrf": csrf, "slug": "third"}).status_code == 303
    assert "third" not in live.admin("brand", "list").output
    # A limit changed while signed in applies to the very next request.
    live.admin("operator", "limit", name, "--brand", "openapitest")
    assert client.get("/console/b/other/orders").status_code == 403
    assert client.get("/console/b/openapitest/orders").status_code == 200
    # A disabled account's session ends at once.
    live.admin("operator", "disable", name)
    assert client.get("/console/b/openapitest/orders").status_code == 303


def test_the_venue_side_through_the_console(make_server: Callable[..., LiveServer]) -> None:
    """Accept, kitchen status, close; the order mode; the stop list, each seen by the API."""
    live = make_server()
    client, _ = signed_in(live)
    csrf = csrf_of(client, "/console/b/openapitest/orders")
    form = {"csrf": csrf}
    order = push_order(live)
    base = "/console/b/openapitest"
    assert client.post(f"{base}/orders/{order['id']}/accept", data=form).status_code == 303
    receipt = api_order(live, order["id"])["receipt_id"]
    for status in ("IN_PROGRESS", "READY"):
        moved = client.post(
            f"{base}/receipts/{receipt}/status", data={**form, "order_status": status}
        )
        assert moved.status_code == 303
    assert api_order(live, order["id"])["receipt"]["order_status"] == "READY"
    wrong = client.post(f"{base}/receipts/{receipt}/status", data={**form, "order_status": "NEW"})
    assert "error" in wrong.cookies.get("clopos_console_flash", "")  # READY -> NEW: refused
    closed = client.post(
        f"{base}/receipts/{receipt}/close", data={**form, "payment_method": "Card"}
    )
    assert closed.status_code == 303
    assert api_order(live, order["id"])["status"] == "DELIVERED"
    page = client.get(f"{base}/receipts/{receipt}")
    assert page.status_code == 200 and "Stock operations" in page.text and "Card" in page.text
    # The order mode.
    mode = client.post(f"{base}/venues/1/order-mode", data={**form, "mode": "accept"})
    assert mode.status_code == 303
    assert push_order(live)["status"] == "RECEIVED"
    # The stop list, per product and venue.
    stop = f"{base}/menu/19/stop-list"
    assert client.post(stop, data={**form, "venue": "1", "action": "stop"}).status_code == 303
    headers = live.v2_headers()
    listed = live.http.get("/open-api/v2/products/stop-list", headers=headers).json()["data"]
    assert [entry["id"] for entry in listed] == [19]
    assert client.post(stop, data={**form, "venue": "1", "action": "resume"}).status_code == 303
    assert live.http.get("/open-api/v2/products/stop-list", headers=headers).json()["data"] == []


def test_a_client_made_in_the_console_exchanges_a_token(server: LiveServer) -> None:
    client, _ = signed_in(server)
    csrf = csrf_of(client, "/console/b/openapitest/access")
    made = client.post(
        "/console/b/openapitest/clients",
        data={"csrf": csrf, "name": "made in a test", "venue": "1", "scope": "orders:read"},
    )
    # Post-redirect-get: the form's answer is a redirect, so a reload makes no second client.
    assert made.status_code == 303, made.text
    shown = client.get(made.headers["location"])
    assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
    client_id = shown.text.split('id="client-id">')[1].split("<")[0]
    secret = shown.text.split('id="client-secret">')[1].split("<")[0]
    token = server.auth_v2(client_id=client_id, client_secret=secret)
    assert token.status_code == 200 and token.json()["success"], token.text
    # Recorded with the client it made, its secret nowhere in the trail.
    made_rows = [
        e for e in server.admin_json("audit", "--outcome", "done") if e["event"] == "client_create"
    ]
    assert f"client {client_id}" in [e["target"] for e in made_rows]
    assert secret not in str(made_rows)
    # The secret crossed the redirect sealed (never in clear), and is shown once: a reload
    # of the page or the access page does not show it again, nor does a tampered cookie.
    sealed = made.cookies.get("clopos_console_secret") or ""
    assert sealed and secret not in sealed
    assert secret not in client.get(made.headers["location"]).text
    assert secret not in client.get("/console/b/openapitest/access").text
    session = client.cookies.get("clopos_console")
    tampered = sealed[:-4] + "AAAA"
    other = client.get(
        f"/console/b/openapitest/clients/{client_id}/secret",
        headers={"cookie": f"clopos_console={session}; clopos_console_secret={tampered}"},
    )
    assert other.status_code == 200
    assert secret not in other.text and "not kept anywhere" in other.text


def test_a_secret_cookie_opens_only_on_its_clients_page_and_an_old_release_cookie_not(
    server: LiveServer,
) -> None:
    """The sealed cookie is bound to its client: on another client's page it shows nothing.
    A cookie sealed by the release before core/sealing.py (tests/legacy_seals.py) is refused
    like any other, and the page says how to get a new secret (docs/console.md: it lived for
    one redirect, so refusing it costs at most one rotation at an upgrade)."""
    client, _ = signed_in(server)
    made = []
    for name in ("first of two", "second of two"):
        answer = client.post(
            "/console/b/openapitest/clients",
            data={
                "csrf": csrf_of(client, "/console/b/openapitest/access"),
                "name": name,
                "venue": "1",
                "scope": "orders:read",
            },
        )
        assert answer.status_code == 303, answer.text
        shown = client.get(answer.headers["location"])
        client_id = shown.text.split('id="client-id">')[1].split("<")[0]
        secret = shown.text.split('id="client-secret">')[1].split("<")[0]
        made.append((client_id, secret, answer.cookies["clopos_console_secret"]))
    session = client.cookies.get("clopos_console")
    (first_id, first_secret, first_cookie), (second_id, _, _) = made

    def page(client_id: str, cookie: str) -> str:
        answer = client.get(
            f"/console/b/openapitest/clients/{client_id}/secret",
            headers={"cookie": f"clopos_console={session}; clopos_console_secret={cookie}"},
        )
        assert answer.status_code == 200
        return answer.text

    assert first_secret in page(first_id, first_cookie)  # the control: it does open there
    elsewhere = page(second_id, first_cookie)
    assert first_secret not in elsewhere and "not kept anywhere" in elsewhere
    key = server.state.settings.hashing_key
    purpose = f"client-secret:{first_id}"
    old = old_console_seal(key, purpose, first_secret, bytes(range(16)))
    refused = page(first_id, old)
    assert first_secret not in refused and "not kept anywhere" in refused


def test_an_integrator_is_switched_between_test_and_production(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server()
    client, _ = signed_in(live)
    access = "/console/b/openapitest/access"
    assert "Make 1 production" in client.get(access).text
    switched = client.post(
        "/console/b/openapitest/integrators",
        data={"csrf": csrf_of(client, access), "integrator_id": "1", "action": "production"},
    )
    assert switched.status_code == 303, switched.text
    assert "Make 1 test" in client.get(access).text
    listed = live.admin_json("integrator", "list")
    assert [i["mode"] for i in listed if i["id"] == "1"] == ["production"]


def test_templates_have_no_inline_script_or_style() -> None:
    """The console's CSP allows only the package's own script and style sheet."""
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        assert "<script>" not in text and "style=" not in text, template.name
        assert not re.search(r"\son[a-z]+=", text), template.name


@pytest.mark.parametrize("path", ["/console/static/console.js", "/console/static/console.css"])
def test_static_files_are_served_from_the_package(server: LiveServer, path: str) -> None:
    answer = server.http.get(path)
    assert answer.status_code == 200 and len(answer.content) > 1000
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_operator_cli_hashes_the_password_with_argon2(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI stores an argon2id hash with RFC 9106's low-memory parameters (64 MiB, three
    passes), never the password."""
    monkeypatch.setattr(operators, "_hasher", PRODUCTION_HASHER)
    name = operator(server)
    listed = server.admin_json("operator", "list")
    assert any(row["name"] == name and row["brands"] == "all" for row in listed)

    async def stored() -> object:
        return await server.app.state.db.read(operators.credentials, name)

    found = server._portal.call(stored)  # type: ignore[union-attr]
    password_hash = found.password_hash  # type: ignore[attr-defined]
    assert password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in password_hash
    short = server.admin("operator", "create", "too-short", "--password", "short", check=False)
    assert short.exit_code == 2 and "at least 8" in short.output
