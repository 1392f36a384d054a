"""Client configuration: explicit arguments first, then `CLOPOS_*` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from clopos.client._errors import ConfigurationError
from clopos.client._secrets import Secret

ApiVersion = Literal[1, 2]

# There is no default base URL: with one, a sandbox secret configured for a local server,
# and no CLOPOS_BASE_URL, would be sent to the real service. These are named for the two
# usual choices.
SERVICE_URL = "https://integrations.clopos.com"
LOCAL_URL = "http://127.0.0.1:8080"

# The documented base URLs include the API root; accept them as well as the bare host.
_API_ROOTS = ("/open-api/v2", "/open-api")


def normalise_base_url(url: str) -> str:
    """The server root without a trailing slash or the `/open-api[/v2]` suffix."""
    url = url.strip().rstrip("/")
    for root in _API_ROOTS:
        if url.endswith(root):
            return url[: -len(root)]
    return url


def missing_configuration(missing: Sequence[tuple[str, str]]) -> ConfigurationError:
    """The error naming each missing setting (an argument name, e.g. `base_url`) with its
    variable and why it is needed: `base_url / CLOPOS_BASE_URL (...)`."""
    return ConfigurationError(
        "missing configuration: "
        + ", ".join(f"{name} / CLOPOS_{name.upper()}{why}" for name, why in missing),
        missing=tuple(name for name, _ in missing),
    )


def api_root(version: ApiVersion) -> str:
    """Path prefix that every endpoint of `version` lives under."""
    return "/open-api/v2" if version == 2 else "/open-api"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything needed to authenticate and address one brand; the secret is masked in repr."""

    base_url: str
    client_id: str
    client_secret: Secret
    brand: str
    version: ApiVersion = 2
    venue_id: str | None = None
    integrator_id: str | None = None

    @classmethod
    def resolve(
        cls,
        *,
        base_url: str | None = None,
        client_id: str | None = None,
        client_secret: str | Secret | None = None,
        brand: str | None = None,
        venue_id: str | int | None = None,
        integrator_id: str | int | None = None,
        version: int = 2,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        """Arguments win; each one left as None is read from the environment now, not later."""
        env = os.environ if environ is None else environ
        if version not in (1, 2):
            raise ConfigurationError(f"version must be 1 or 2, not {version!r}")

        def pick(value: str | int | None, name: str) -> str | None:
            if value is not None:
                return str(value)
            found = env.get(name)
            return found if found else None

        secret_value: str | None
        if isinstance(client_secret, Secret):
            secret_value = client_secret.reveal()
        else:
            secret_value = pick(client_secret, "CLOPOS_CLIENT_SECRET")
        resolved_id = pick(client_id, "CLOPOS_CLIENT_ID")
        resolved_brand = pick(brand, "CLOPOS_BRAND")
        resolved_url = pick(base_url, "CLOPOS_BASE_URL")
        where = f"{LOCAL_URL} for a local clopos server, {SERVICE_URL} for the Clopos service"
        needed = [
            ("base_url", resolved_url, f" ({where}; there is no default)"),
            ("client_id", resolved_id, ""),
            ("client_secret", secret_value, ""),
            ("brand", resolved_brand, ""),
        ]
        integrator = pick(integrator_id, "CLOPOS_INTEGRATOR_ID")
        if version == 2:
            needed.append(("integrator_id", integrator, " (v2 authenticates an integrator)"))
        missing = [(name, why) for name, value, why in needed if value is None]
        if missing:
            raise missing_configuration(missing)
        assert resolved_id is not None and secret_value is not None and resolved_brand is not None
        assert resolved_url is not None
        return cls(
            base_url=normalise_base_url(resolved_url),
            client_id=resolved_id,
            client_secret=Secret(secret_value),
            brand=resolved_brand,
            version=2 if version == 2 else 1,
            venue_id=pick(venue_id, "CLOPOS_VENUE_ID"),
            integrator_id=integrator,
        )

    def venue_for(self, venue: str | int | None) -> str | None:
        """The venue a call addresses: the per-call one, else the configured default."""
        if venue is not None:
            return str(venue)
        return self.venue_id
