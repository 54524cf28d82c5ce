from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from tests.support.http import loopback
from tests.support.mock import mock_in_thread

# The `calyptia_mock` fixture, as users get it from the installed package's pytest11 entry point.
pytest_plugins = ["calyptia_mock.pytest_plugin"]


@pytest.fixture(scope="session")
def shared_mock_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One mock for the session (per xdist worker), file-backed, with the users in
    tests/fixtures/users.yaml and the control API: starting one per test cost about 0.4 s each."""
    with mock_in_thread(tmp_path_factory.mktemp("shared-mock") / "mock.db", control=True) as url:
        yield url


@pytest.fixture
def mock_url(shared_mock_url: str) -> str:
    """The session's mock in a fresh state: reset to the seeded users (POST /_mock/reset), no
    projects of earlier tests, no faults."""
    response = loopback().post(f"{shared_mock_url}/_mock/reset")
    assert response.status_code == 204, response.text
    return shared_mock_url


# xdist modes that key work by node ID: items sharing one ID would run once, not once each.
NODE_ID_SCHEDULERS = frozenset({"loadscope", "loadfile", "loadgroup"})


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: object, ids: list[str]) -> None:
    """On the xdist controller: refuse a mode that schedules by node ID while IDs repeat, as
    schemathesis 4.32 under pytest 9.2 gives every operation's item of test_stateless one ID."""
    dist = getattr(node, "config").getoption("dist")  # noqa: B009  (xdist's WorkerController, untyped)
    repeated = sorted(nodeid for nodeid, count in Counter(ids).items() if count > 1)
    if dist in NODE_ID_SCHEDULERS and repeated:
        raise pytest.UsageError(
            f"--dist {dist} schedules by node ID and would run one of the items sharing {', '.join(repeated)}: "
            "use --dist worksteal or load"
        )
