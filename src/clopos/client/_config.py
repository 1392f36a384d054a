"""Client configuration: explicit arguments first, then `CLOPOS_*` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from clopos.client._errors import ConfigurationError
from clopos.client._secrets import Secret

ApiVersion = Literal[1, 2]

DEFAULT_BASE_URL = "https://integrations.clopos.com"

# The documented base URLs include the API root; accept them as well as the bare host.
_API_ROOTS = ("/open-api/v2", "/open-api")


def normalise_base_url(url: str) -> str:
    """The server root without a trailing slash or the `/open-api[/v2]` suffix."""
    url = url.strip().rstrip("/")
    for root in _API_ROOTS:
        if url.endswith(root):
            return url[: -len(root)]
    return url


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
        missing = [
            name
            for name, value in (
                ("client_id / CLOPOS_CLIENT_ID", resolved_id),
                ("client_secret / CLOPOS_CLIENT_SECRET", secret_value),
                ("brand / CLOPOS_BRAND", resolved_brand),
            )
            if value is None
        ]
        integrator = pick(integrator_id, "CLOPOS_INTEGRATOR_ID")
        if version == 2 and integrator is None:
            missing.append("integrator_id / CLOPOS_INTEGRATOR_ID (v2 authenticates an integrator)")
        if missing:
            raise ConfigurationError("missing configuration: " + ", ".join(missing))
        assert resolved_id is not None and secret_value is not None and resolved_brand is not None
        return cls(
            base_url=normalise_base_url(pick(base_url, "CLOPOS_BASE_URL") or DEFAULT_BASE_URL),
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
