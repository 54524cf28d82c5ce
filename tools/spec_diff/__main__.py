"""`python -m tools.spec_diff`: see tools/spec_diff/cli.py."""

from __future__ import annotations

from tools.spec_diff.cli import main

raise SystemExit(main())
