"""A wrong first call says what to fix: a base URL without its scheme or repeating the paths'
prefix is refused when the client is built, and a 401 for a credential the operation does not
take names the credentials it does take. Both read the spec (its paths, each operation's
`security`), not a list written here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from calyptia_cloud_client import AsyncCalyptiaCloud, AuthenticatedClient, CalyptiaCloud, errors
from calyptia_cloud_client.client import DEFAULT_BASE_URL, ENV_BASE_URL, PATH_PREFIX
from calyptia_mock.operation_names import method_names

from tests.support.calls import arguments, consume, resource_methods
from tests.support.mock import mock_in_thread
from tests.support.spec_examples import load_spec
from tools.generation.spec_facts import accepted_credentials, path_prefix

SPEC = load_spec()
PREFIX = path_prefix(SPEC)


def test_the_prefix_is_the_spec_s() -> None:
    """The client's prefix is what every path of the spec starts with, read at generation."""
    assert PREFIX
    assert PATH_PREFIX == PREFIX
    assert all(path.startswith(PREFIX) for path in SPEC["paths"])


@pytest.mark.parametrize(
    ("paths", "prefix"),
    [
        (["/v1/projects", "/v1/projects/{id}", "/v1/users"], "/v1"),
        (["/api/v2/a", "/api/v2/b/{x}"], "/api/v2"),
        (["/{tenant}/items", "/{tenant}/orders"], ""),
        (["/pets", "/store/orders"], ""),
        (["/v1/only"], "/v1/only"),
        ([], ""),
    ],
)
def test_path_prefix_of_any_spec(paths: list[str], prefix: str) -> None:
    spec: dict[str, Any] = {"paths": {path: {"get": {"responses": {}}} for path in paths}}
    assert path_prefix(spec) == prefix


def _segments() -> Iterator[str]:
    """Each leading part of the prefix: `/v1`, then `/v1/projects` if the prefix is that long."""
    parts = [part for part in PREFIX.split("/") if part]
    for count in range(1, len(parts) + 1):
        yield "/" + "/".join(parts[:count])


@pytest.mark.parametrize("suffix", [*_segments(), f"{PREFIX}/"])
@pytest.mark.parametrize("build", [CalyptiaCloud, AsyncCalyptiaCloud, AuthenticatedClient])
def test_a_base_url_that_repeats_the_prefix_names_the_url_to_use(build: type[Any], suffix: str) -> None:
    with pytest.raises(errors.ConfigurationError) as refused:
        build(token="t", base_url=f"https://api.example.test:8443{suffix}")
    message = str(refused.value)
    assert f"ends with {suffix.rstrip('/')}" in message
    assert "use 'https://api.example.test:8443'" in message


def test_a_base_url_under_a_gateway_path_is_kept() -> None:
    """A prefix of one's own before the spec's (`/gateway`) is a real deployment, not a mistake."""
    client = CalyptiaCloud(token="t", base_url="https://api.example.test/gateway")
    assert client.base_url == "https://api.example.test/gateway"


@pytest.mark.parametrize(
    ("base_url", "fix"),
    [
        ("127.0.0.1:5000", "'http://127.0.0.1:5000'"),
        ("localhost:5000", "'http://localhost:5000'"),
        ("cloud-api.example.test", "'https://cloud-api.example.test'"),
        ("ftp://files.example.test", "'https://files.example.test'"),
    ],
)
def test_a_base_url_without_http_or_https_is_refused_with_the_fix(base_url: str, fix: str) -> None:
    with pytest.raises(errors.ConfigurationError) as refused:
        CalyptiaCloud(token="t", base_url=base_url)
    message = str(refused.value)
    assert repr(base_url) in message
    assert "must start with http:// or https://" in message
    assert fix in message


def test_a_base_url_from_the_environment_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_BASE_URL, "127.0.0.1:5000")
    with pytest.raises(errors.ConfigurationError, match=f"the environment variable {ENV_BASE_URL}"):
        CalyptiaCloud(token="t")


def test_the_default_and_plain_urls_pass() -> None:
    assert CalyptiaCloud(token="t").base_url == DEFAULT_BASE_URL
    assert CalyptiaCloud(token="t", base_url="http://127.0.0.1:5000/").base_url == "http://127.0.0.1:5000/"


# -- a 401 names the credentials the operation takes ------------------------------------------

HOW = {"authorization": "a user token (token= or CALYPTIA_CLOUD_TOKEN)"}


def _operations_without_project_tokens() -> list[str]:
    """`resource.method` of every operation whose security does not accept the project token."""
    names = []
    for named in method_names(SPEC):
        accepted = accepted_credentials(SPEC, SPEC["paths"][named.path][named.http_method])
        if "x-project-token" not in accepted and accepted:
            names.append(named.dotted)
    return names


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with mock_in_thread(Path(tmp_path_factory.mktemp("mock")) / "mock.db") as url:
        yield url


@pytest.fixture(scope="module")
def project_token(mock: str) -> str:
    token = CalyptiaCloud(token="alice-token", base_url=mock).projects.create(name="first-call").token
    assert isinstance(token, str)
    return token


@pytest.mark.operations
def test_some_operation_refuses_the_project_token() -> None:
    """The test below proves something only if the spec has such an operation."""
    assert _operations_without_project_tokens()


@pytest.mark.operations
@pytest.mark.parametrize("operation", _operations_without_project_tokens())
def test_a_401_names_what_the_operation_accepts_and_what_the_client_holds(
    mock: str, project_token: str, operation: str
) -> None:
    client = CalyptiaCloud(project_token=project_token, base_url=mock, max_retries=0)
    method = dict(resource_methods(client))[operation]
    with pytest.raises(errors.AuthenticationError) as refused:
        consume(method(**arguments(method, {})))
    message = str(refused.value)
    assert message.endswith(f"; {operation} accepts {HOW['authorization']}; this client has only a project token")
    assert project_token not in message


def test_a_401_with_a_credential_sent_still_blames_that_credential(mock: str) -> None:
    client = CalyptiaCloud(token="not-a-real-token", base_url=mock, max_retries=0)
    with pytest.raises(errors.AuthenticationError) as refused:
        list(client.projects.list())
    assert re.search(
        r"the service refused the user token sent as Authorization \(from the token= argument\)", str(refused.value)
    )
