"""`python -m tools.contract` (`make contract`): see tools/contract/runner.py."""

from __future__ import annotations

from tools.contract.runner import main

raise SystemExit(main())
