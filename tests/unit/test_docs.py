"""The operator documentation keeps up with the code."""

from __future__ import annotations

from pathlib import Path

from clopos.server.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "operations.md").read_text()
    missing = [name for name in Settings.model_fields if f"CLOPOS_{name.upper()}" not in text]
    assert missing == []


def test_every_admin_command_is_documented() -> None:
    import click

    from clopos.cli import main

    lines = (DOCS / "operations.md").read_text().splitlines()
    admin = main.commands["admin"]
    assert isinstance(admin, click.Group)
    undocumented = []
    for name, command in admin.commands.items():
        subs = list(command.commands) if isinstance(command, click.Group) else [""]
        for sub in subs:
            if not any(f"`{name} " in line and sub in line for line in lines):
                undocumented.append(f"{name} {sub}".strip())
    assert undocumented == []
