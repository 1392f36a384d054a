"""`python -m clopos` runs the CLI."""

from clopos.cli import main

main()
