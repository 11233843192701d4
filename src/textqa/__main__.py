"""``python -m textqa`` runs the command line."""

from textqa.cli import main

if __name__ == "__main__":  # not when a worker process re-imports the main module
    raise SystemExit(main())
