"""Secrets sealed in format 2 (AES-256-GCM, core/sealing.py): no change to the tables.

The signing keys and webhook secrets a database holds are sealed anew in format 2 by the
first start of this release (server/bootstrap.py: it needs the server key, which a migration
is not given), and everything this release seals is in format 2, which the releases before
cannot open. This revision is how a database says so: a node of an older release refuses a
database that is ahead of it instead of refusing every key and secret in it, and on
PostgreSQL this release starts only after `clopos db upgrade`, which is run with the servers
stopped (docs/operations.md), so no node of the release before is still serving when the
stored secrets change format.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from __future__ import annotations

revision = "0014"
down_revision: str | None = "0013"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    raise NotImplementedError(
        "a release before 0014 cannot open secrets sealed in format 2: restore the backup "
        "taken before the upgrade instead"
    )
