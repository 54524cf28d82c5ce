"""`python -m tools.mutation` (`make mutation-score`): see tools/mutation/runner.py."""

from __future__ import annotations

from tools.mutation.runner import main

raise SystemExit(main())
