"""`python -m pipeline.cli` runs the `yakkan` command."""

from pipeline.cli.main import main

main()
