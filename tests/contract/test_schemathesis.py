"""Schemathesis checks openapi.yaml against the mock, in-process (ASGI, no socket).

Stateless: every operation, positive and negative data, every check of schemathesis 4.32.
Stateful: a state machine that follows the spec's OpenAPI links (create -> get / update /
delete, get -> delete, list -> next page). Pagination: a deterministic walk of `Link`
headers, every page checked by schemathesis's own response validation.

Runs are reproducible: derandomized Hypothesis, no example database, no schemathesis cache.
The run's own checks (next_page_link_resolves and the promise checks) are installed by the
`contract` fixture (tools.contract.hooks.install_checks) and taken back after the module.

The suite's knobs, read here once: CONTRACT_EXAMPLES sets the example count (default
tools.contract.config.MOCK_EXAMPLES, as `make contract`), CONTRACT_STATEFUL_STEPS the steps of
a stateful scenario, CONTRACT_TOKEN the user it acts as; the mutation tests
(test_mutants.py) set CONTRACT_MUTANT (serve a broken mock) and CONTRACT_REQUEST_LOG (record
every request).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from calyptia_mock import Store, create_app, load_fixtures
from calyptia_mock.seed_data import load_fixture_projects
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.schemas import BaseSchema
from starlette.types import ASGIApp, Receive, Scope, Send

from tests.contract.configs import mock_config
from tests.contract.mutants import MUTANTS, record_requests
from tools.contract.config import MOCK_EXAMPLES, MOCK_TOKEN
from tools.contract.hooks import install_checks
from tools.paths import BUILD, FIXTURES, ROOT

MAX_EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", str(MOCK_EXAMPLES)))
STATEFUL_STEPS = int(os.environ.get("CONTRACT_STATEFUL_STEPS", "10"))
TOKEN = os.environ.get("CONTRACT_TOKEN", MOCK_TOKEN)  # the user the suite acts as
MUTANT = os.environ.get("CONTRACT_MUTANT")
REQUEST_LOG = os.environ.get("CONTRACT_REQUEST_LOG")


@dataclass(frozen=True)
class Contract:
    """The mock under test, its store, and the spec loaded by schemathesis around it."""

    store: Store
    schema: BaseSchema

    def reset_database(self) -> None:
        """Back to the fixture's starting state: stale rows from an earlier scenario make
        Hypothesis report flaky failures."""
        self.store.reset()
        load_fixture_projects(self.store, FIXTURES)


def _app(store: Store) -> ASGIApp:
    app: ASGIApp = create_app(store, validate_responses=True)  # also cross-checks request validation
    # CONTRACT_MUTANT serves a deliberately broken mock instead (see mutants.py and test_mutants.py).
    if MUTANT:
        app = MUTANTS[MUTANT][0](app)
    # CONTRACT_REQUEST_LOG records every request, to show that two runs send the same ones.
    if REQUEST_LOG:
        app = record_requests(app, Path(REQUEST_LOG))
    return app


def _config() -> SchemathesisConfig:
    """schemathesis.toml, with the suite's token in place of its ${CONTRACT_TOKEN}."""
    config = tomllib.loads((ROOT / "schemathesis.toml").read_text(encoding="utf-8"))
    config["auth"]["openapi"]["bearerAuth"]["bearer"] = TOKEN
    return SchemathesisConfig.from_dict(config, base_dir=str(ROOT))


class _MockProxy:
    """The ASGI app schemathesis is given at collection time; it forwards to the mock that the
    `contract` fixture builds when the tests run, so importing this module builds nothing."""

    target: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.target is None:
            raise RuntimeError("the contract fixture has not started the mock")
        await self.target(scope, receive, send)


# Loaded at import, as `parametrize` needs the operations at collection time (the lazy
# `schemathesis.pytest.from_fixture` fails under pytest 9.2: it reads Function._nodeid).
# Only the spec is read here; the mock is built by the `contract` fixture.
mock = _MockProxy()
schema = schemathesis.openapi.from_path(str(ROOT / "openapi.yaml"), config=_config())
schema.app = mock


@pytest.fixture(scope="module", autouse=True)
def contract() -> Iterator[Contract]:
    """A fresh in-memory mock with the fixture's users, served to schemathesis in-process."""
    store = Store(":memory:", seed=20261128)  # reproducible IDs and cursors: same requests every run
    load_fixtures(store, FIXTURES)
    mock.target = _app(store)
    # The run's checks, with the suite's token for their follow-up requests; they write nothing
    # to disk (only `install` does), so the output folder is never made. As before the run's
    # configuration existed, the promise checks that write are off here (`writes=False`): the
    # suite's mutants are each caught by schemathesis's own check (test_mutants.py), and
    # `make contract` runs the write checks.
    checks = install_checks(mock_config(BUILD / "contract-suite", token=TOKEN, writes=False))
    try:
        yield Contract(store, schema)
    finally:
        checks.uninstall()
        mock.target = None
        store.close()


HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


@schema.parametrize()
@HYPOTHESIS
def test_stateless(case: Any) -> None:
    case.call_and_validate()


@pytest.mark.e2e  # a whole stateful schemathesis run (about 15 s)
def test_stateful(contract: Contract) -> None:
    """Follows the spec's links; starts every scenario from a fresh database."""

    class ProjectsWorkflow(contract.schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            contract.reset_database()

    ProjectsWorkflow.run(
        settings=settings(
            max_examples=MAX_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )


def test_pagination_walk_is_checked_page_by_page(contract: Contract) -> None:
    """Random runs almost never follow a cursor; this walk does, with every check on each page."""
    contract.reset_database()
    store = contract.store
    alice = store.user_by_email("alice@example.com")
    assert alice is not None
    store.user_by_token("alice-token")  # alice's `default` project exists before the seeding
    created = [store.create_project(alice, f"page-{index:02d}")[0] for index in range(23)]
    operation = contract.schema["/v1/projects"]["GET"]
    query: dict[str, Any] = {"last": 5}
    seen: list[str] = []
    pages = 0
    while True:
        case = operation.Case(query=query, headers={"Authorization": "Bearer alice-token"})
        response = case.call()
        case.validate_response(response)
        pages += 1
        assert response.status_code == 200
        seen += [project["id"] for project in response.json()]
        links = response.headers.get("link")
        if not links:
            break
        # Extract the cursor with the spec's own NextPage link expression, proving it works.
        match = next_page_cursor(contract.schema).search(links[0])
        assert match is not None, links
        query = {"last": 5, "before": match.group(1)}
    # 23 seeded + default + the shared fixture project = 25 projects: five full pages.
    assert pages == 5
    assert len(seen) == len(set(seen)) == 25
    assert seen[:23] == list(reversed(created))


def next_page_cursor(schema: BaseSchema) -> re.Pattern[str]:
    """The regex of the spec's own NextPage link expression, which extracts the `before` cursor."""
    link = schema.raw_schema["paths"]["/v1/projects"]["get"]["responses"]["200"]["links"]["NextPage"]
    return re.compile(link["parameters"]["before"].split("#regex:", 1)[1])
