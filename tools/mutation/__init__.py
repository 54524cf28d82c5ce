"""`make mutation-score`: automated mutants of the mock's behaviour code, the contract run as the test.

The 21 hand-written mutants of `make mutants` were each written to be caught; this is the
yardstick nobody tunes to. Cosmic Ray's operators enumerate every mutation of the five
behaviour modules of `mock/calyptia_mock/` (projects.py, handlers.py, store.py, auth.py,
cursor.py); each mutant is applied to a copy of the package, and `python -m tools.contract
--mock-package <copy>` is run against it: exit 0 means the mutant survived, anything else
(a failed check, a mock that does not start) killed it, and a run past the timeout is a
hang, killed too (recorded as a timeout). Equivalent mutants, which no request can tell
from the original, are listed with a reason in the reviewed `equivalent.yaml`.

Why Cosmic Ray 8 and not mutmut 3:

- the test here is a whole program (a contract run serving the mutated package in a child
  process), and Cosmic Ray's model is exactly that: any command, judged by its exit status.
  mutmut 3 is built into pytest (no `runner` option any more: its trampolines pick the
  mutant in the test process and it gathers which pytest tests cover which function);
- Cosmic Ray applies one mutation to one occurrence of one operator in real source text
  (parso keeps the formatting), which is what a copy served by another process needs;
  mutmut 3 rewrites every function into a trampoline with all its mutants inside, and
  mutates nothing outside functions (module constants, decorators, class bodies);
- its enumeration is stable and inspectable: operator name, occurrence and position,
  which is what a reviewed list of equivalent mutants can name.

Cosmic Ray's own `exec` mutates the working tree in place (other engineers edit the same
tree) and runs serially unless given HTTP workers in clones; so only its library is used
here (its operators, enumeration and `mutate_code`), and tools/mutation/runner.py runs the
mutants two at a time on copies, with the seeded sampling CI needs.
"""
