"""Entry point for ``python -m kommunestrategi``."""

from kommunestrategi.cli import main

raise SystemExit(main())
