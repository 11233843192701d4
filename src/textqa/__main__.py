"""``python -m textqa`` runs the command line."""

from textqa.cli import main

raise SystemExit(main())
