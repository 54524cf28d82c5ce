"""No credential shows in a `repr()` or `str()` of anything the client hands out.

A field the spec marks `format: password` is a secret (templates/model.py.jinja masks it with
types.secret_repr). The walk is generic: every object schema of the effective spec becomes an
instance with every property filled, secrets with a recognisable value, parsed by its model's
`from_dict`; then the model, its `to_dict()` round trip and the clients are printed.
"""

from __future__ import annotations

import inspect
from typing import Any

import httpx
import pytest
from calyptia_cloud_client import AsyncCalyptiaCloud, CalyptiaCloud, models
from calyptia_cloud_client.errors import APIResponseValidationError, ResponseValueError
from calyptia_cloud_client.types import SECRET_MASK

from tests.support.spec_examples import load_spec
from tests.support.spec_values import SECRET, instance_of

MODEL_CLASSES = {name: cls for name, cls in inspect.getmembers(models, inspect.isclass) if hasattr(cls, "from_dict")}


def object_schemas() -> list[tuple[str, dict[str, Any]]]:
    spec = load_spec()
    schemas = spec["components"]["schemas"]
    return [(name, schema) for name, schema in schemas.items() if name in MODEL_CLASSES]


def test_the_spec_marks_the_project_token_secret() -> None:
    """The walk below proves something only if some field is secret."""
    secrets: list[str] = []
    instance_of(load_spec()["components"]["schemas"]["CreatedProject"], load_spec(), secrets)
    assert secrets == ["$.token"]


@pytest.mark.parametrize(("name", "schema"), object_schemas(), ids=[name for name, _ in object_schemas()])
def test_no_secret_in_a_models_repr_or_str(name: str, schema: dict[str, Any]) -> None:
    secrets: list[str] = []
    body = instance_of(schema, load_spec(), secrets)
    parsed = MODEL_CLASSES[name].from_dict(body)
    for text in (repr(parsed), str(parsed), repr([parsed]), f"{parsed}", f"{parsed!r}"):
        assert SECRET not in text
    if secrets:
        assert SECRET_MASK in repr(parsed)
        # The value is still there for whoever reads it on purpose.
        assert SECRET in repr(parsed.to_dict())


def test_a_secret_shows_as_the_mask() -> None:
    body: dict[str, Any] = instance_of(load_spec()["components"]["schemas"]["CreatedProject"], load_spec(), [])
    parsed = models.CreatedProject.from_dict(body)
    assert f"token={SECRET_MASK}" in repr(parsed)


@pytest.mark.parametrize("cls", [CalyptiaCloud, AsyncCalyptiaCloud])
def test_no_credential_in_the_clients_reprs(cls: type[CalyptiaCloud] | type[AsyncCalyptiaCloud]) -> None:
    client = cls(token=SECRET + "-user", project_token=SECRET + "-project", base_url="http://127.0.0.1:9")
    shown: list[object] = [client, client.projects, client.projects.with_raw_response]
    shown += [client.with_options(max_retries=0), *vars(client).values()]
    for thing in shown:
        assert SECRET not in repr(thing), type(thing).__name__
        assert SECRET not in str(thing), type(thing).__name__


def with_wrong_type(body: Any, path: str, value: object) -> Any:
    """`body` with the value at `path` (`$.a[0].b`, as instance_of records) replaced."""
    steps = [step for step in path[1:].replace("[", ".[").split(".") if step]
    node = body
    for step in steps[:-1]:
        node = node[int(step[1:-1])] if step.startswith("[") else node[step]
    last = steps[-1]
    node[int(last[1:-1]) if last.startswith("[") else last] = value
    return body


WRONG_SECRET = 98765432123456789  # a credential of the wrong JSON type is still a credential


@pytest.mark.parametrize(("name", "schema"), object_schemas(), ids=[name for name, _ in object_schemas()])
def test_no_secret_in_the_error_for_a_secret_of_the_wrong_type(name: str, schema: dict[str, Any]) -> None:
    secrets: list[str] = []
    instance_of(schema, load_spec(), secrets)
    for path in secrets:
        body = with_wrong_type(instance_of(schema, load_spec(), []), path, WRONG_SECRET)
        with pytest.raises(ResponseValueError) as caught:
            MODEL_CLASSES[name].from_dict(body)
        error = caught.value
        assert error.path == path
        assert error.value == f"integer {SECRET_MASK}"
        for text in (str(error), repr(error), str(error.args)):
            assert str(WRONG_SECRET) not in text
        response = httpx.Response(200, json=body, request=httpx.Request("GET", "http://127.0.0.1:9/"))
        wrapped = APIResponseValidationError(response, error)
        assert str(WRONG_SECRET) not in str(wrapped) + repr(wrapped)
