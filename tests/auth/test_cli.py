"""`clopos admin`: output for scripts, clear errors, reliable exit codes."""

from __future__ import annotations

import pytest

from tests.support import LiveServer


@pytest.fixture
def live(make_server) -> LiveServer:
    return make_server()


def test_provisioning_round_trip(live: LiveServer) -> None:
    brand = live.admin_json("brand", "create", "cafe-north", "--name", "Cafe North")
    assert brand == {
        "slug": "cafe-north",
        "name": "Cafe North",
        "mode": "production",
        "enabled": True,
    }
    venue = live.admin_json(
        "venue", "create", "Harbour", "--brand", "cafe-north", "--address", "1 Quay"
    )
    assert venue["id"] == 2  # ids count within the brand; venue 1 came with it
    assert [v["id"] for v in live.admin_json("venue", "list", "--brand", "cafe-north")] == [1, 2]
    client = live.admin_json(
        "client", "create", "--brand", "cafe-north", "--venue", "2", "--scope", "venues:read"
    )
    assert client["venues"] == [2]
    assert client["scopes"] == ["venues:read"]
    assert len(client["client_secret"]) == 44
    listed = live.admin_json("client", "list", "--brand", "cafe-north")
    assert [c["client_id"] for c in listed] == [client["client_id"]]
    assert "client_secret" not in listed[0]
    assert {b["slug"] for b in live.admin_json("brand", "list")} == {"openapitest", "cafe-north"}
    integrator = live.admin_json("integrator", "create", "Marketplace")
    assert integrator["id"].startswith("int_")
    assert integrator["mode"] == "test"


def test_human_output_shows_a_new_secret_once(live: LiveServer) -> None:
    output = live.admin("client", "create", "--brand", "openapitest").output
    assert "client_secret:" in output
    assert "cannot be shown again" in output


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (("brand", "create", "openapitest"), 4, "already exists"),
        (("brand", "create", "Bad Slug!"), 1, "invalid brand slug"),
        (("brand", "disable", "nobody"), 3, "no brand 'nobody'"),
        (("client", "grant", "nobody", "--venue", "1"), 3, "no client"),
        (("client", "create", "--brand", "openapitest", "--venue", "99"), 3, "no venue(s) 99"),
        (("client", "create", "--brand", "openapitest", "--scope", "root"), 1, "unknown scope"),
        (("client", "rotate-secret", "complete", "6553676e0d265ac837e8f79fc"), 4, "no rotation"),
        (("integrator", "create", "X", "--id", "1"), 4, "already exists"),
        (("venue", "create", "X", "--brand", "openapitest", "--id", "1"), 4, "already exists"),
        (("client", "rotate-secret", "begin", "x"), 2, "Invalid value"),
    ],
)
def test_errors_have_messages_and_exit_codes(
    live: LiveServer, args: tuple[str, ...], code: int, fragment: str
) -> None:
    result = live.admin(*args, check=False)
    assert result.exit_code == code
    assert fragment in result.output


def test_seeding_is_idempotent_and_keeps_operator_changes(live: LiveServer) -> None:
    live.admin("client", "disable", "6553676e0d265ac837e8f79fc")
    # Every admin command re-runs the (idempotent) initialisation.
    clients = live.admin_json("client", "list")
    assert [c["enabled"] for c in clients] == [False]
    assert len(live.admin_json("brand", "list")) == 1
    assert len(live.admin_json("integrator", "list")) == 1
