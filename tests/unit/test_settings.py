"""Settings that guard against unsafe production defaults."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from clopos.server.settings import Settings


def test_production_refuses_a_generated_key_and_skips_the_public_sandbox() -> None:
    with pytest.raises(ValidationError, match="CLOPOS_SECRET_KEY"):
        Settings(environment="production")
    production = Settings(environment="production", secret_key="k" * 32)
    assert production.seeds_sandbox is False
    assert Settings(environment="production", secret_key="k" * 32, seed_sandbox=True).seeds_sandbox
    assert Settings().seeds_sandbox is True
