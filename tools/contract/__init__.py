"""Contract testing: schemathesis against the mock or a live account, and what keeps a live run safe.

Owns `make contract` (`runner`, also `python -m tools.contract`) and `make soak` (`soak`), and
what they run with: the schemathesis hooks (`hooks`), the write guard (`write_guard`), the
account snapshots before and after a write run (`account_snapshot`), the drift report
(`drift`) and the checks of the spec's behavioural promises (`promises/`).

Nothing is imported here: schemathesis loads `tools.contract.hooks` in its own process, which
should not pay for the runner.
"""
