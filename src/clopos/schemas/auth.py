"""Token exchange bodies, v1 and v2."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from clopos.schemas.common import Storable, WireModel


def _as_text(value: object) -> object:
    # The reference shows ids as strings ("1") but integrators send numbers too.
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    return value


class V1AuthRequest(WireModel, Storable):
    """Body of `POST /open-api/auth`."""

    client_id: str = Field(min_length=1)
    client_secret: str = Field(min_length=1)
    brand: str = Field(min_length=1)
    venue_id: str = Field(min_length=1, description="Venue id; a string or a number")

    _text = field_validator("venue_id", mode="before")(_as_text)


class V2AuthRequest(WireModel, Storable):
    """Body of `POST /open-api/v2/auth`."""

    client_id: str = Field(min_length=1)
    client_secret: str = Field(min_length=1)
    brand: str = Field(min_length=1)
    integrator_id: str = Field(min_length=1)

    _text = field_validator("integrator_id", mode="before")(_as_text)


class AuthResponse(WireModel):
    """A v1 token: `oauth_…`, valid `expires_in` seconds."""

    success: Literal[True] = True
    token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int
    message: str = "Authentication successful"


class V2AuthResponse(AuthResponse):
    """A v2 token (a JWT) with its absolute expiry in Unix seconds."""

    expires_at: int
