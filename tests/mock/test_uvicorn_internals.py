"""The mock survives a uvicorn that renamed what its HTTP protocol uses: one warning naming
what is missing, uvicorn's own protocol, every request still served. And `USES`, the list of
those internals, stays in step with the code that uses them."""

from __future__ import annotations

import ast
import inspect
import logging
import socket
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

import calyptia_mock.http_protocol
import pytest
import uvicorn
from calyptia_mock.http_protocol import USES, MockHttpToolsProtocol
from calyptia_mock.parser_errors import JsonParserErrors
from calyptia_mock.server import MockOptions, serving
from calyptia_mock.server_stack import choose_http, http_protocol, server_stack
from calyptia_mock.uvicorn_internals import Internals, missing
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from tests.support.http import loopback
from tests.support.logs import attached

BAD_HEADER_NAME = b"GET /v1/projects HTTP/1.1\r\nHost: mock\r\nBad Name: x\r\n\r\n"


def uses(name: str) -> Internals:
    (internals,) = [internals for internals in USES if internals.name == name]
    return internals


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def warnings_logged() -> Iterator[list[logging.LogRecord]]:
    records = Records()
    with attached(records, ("calyptia_mock",), logging.WARNING):
        yield records.records


def raw_answer(url: str, request: bytes) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_the_installed_uvicorn_has_all_the_mock_uses() -> None:
    assert missing(USES) == []
    assert choose_http().protocol is MockHttpToolsProtocol


def test_without_a_method_it_serves_with_uvicorns_own_protocol_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(HttpToolsProtocol, "_should_upgrade")
    with warnings_logged() as records, serving(MockOptions()) as mock:
        response = loopback().get(
            f"{mock.url}/v1/projects", headers={"Authorization": f"Bearer {mock.token}"}, timeout=10
        )
        assert response.status_code == 200
        assert [project["name"] for project in response.json()] == ["default"]
        refused = raw_answer(mock.url, BAD_HEADER_NAME)  # uvicorn's own answer, not the mock's JSON
        assert refused.startswith(b"HTTP/1.1 400 Bad Request\r\n")
        assert b"content-type: text/plain" in refused.lower()
    (warning,) = records
    assert warning.levelno == logging.WARNING
    message = warning.getMessage()
    assert message.startswith(f"uvicorn {uvicorn.__version__} has no HttpToolsProtocol._should_upgrade(), ")
    assert "serving with uvicorn's own HttpToolsProtocol instead" in message
    assert server_stack().startswith("httptools (uvicorn's own protocol) + ")


def test_an_attribute_init_no_longer_sets_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """As a uvicorn would be whose `__init__` no longer sets `self.pipeline`: the check reads
    the assignments of `__init__`, so that is the source to change (it is never run)."""
    source = textwrap.dedent(inspect.getsource(HttpToolsProtocol.__init__))
    kept = [line for line in source.splitlines() if not line.lstrip().startswith("self.pipeline")]
    assert len(kept) < len(source.splitlines())
    module_path = tmp_path / "renamed_uvicorn.py"
    module_path.write_text("from __future__ import annotations\n\n" + "\n".join(kept) + "\n", encoding="utf-8")
    spec = spec_from_file_location("renamed_uvicorn", module_path)
    assert spec is not None
    assert spec.loader is not None
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(HttpToolsProtocol, "__init__", vars(module)["__init__"])
    with warnings_logged() as records:
        assert http_protocol() is HttpToolsProtocol
    (warning,) = records
    assert f"uvicorn {uvicorn.__version__} has no HttpToolsProtocol.pipeline, " in warning.getMessage()


def test_a_missing_class_or_keyword_is_named() -> None:
    assert Internals("uvicorn.config", "Configuration").missing() == ["uvicorn.config.Configuration"]
    h11 = uses("H11Protocol")
    assert Internals(h11.module, h11.name, parameters=("_event_loop",)).missing() == ["H11Protocol(_event_loop=...)"]


# -- USES in step with the code ---------------------------------------------------------------


def self_uses(cls: type) -> tuple[set[str], set[str], dict[str, set[str]]]:
    """What a class's own methods read: `self.x`, `super().x`, and `self.x.y` by x."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    plain: set[str] = set()
    inherited: set[str] = set()
    nested: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        if isinstance(node.value, ast.Name) and node.value.id == "self":
            plain.add(node.attr)
        elif (
            isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name) and node.value.func.id == "super"
        ):
            inherited.add(node.attr)
        elif isinstance(inner := node.value, ast.Attribute) and ast.unparse(inner.value) == "self":
            nested.setdefault(inner.attr, set()).add(node.attr)
    return plain, inherited, nested


def own_names(*classes: type) -> set[str]:
    """The methods and class attributes the classes define (an annotation alone defines nothing)."""
    return {name for cls in classes for name in vars(cls)}


def test_uses_lists_every_uvicorn_name_the_protocol_reads() -> None:
    """A new `self.x` of uvicorn's in http_protocol.py (or parser_errors.py's mixin) must be
    added to USES, or the start-up check would not see it go."""
    protocol = uses("HttpToolsProtocol")
    own = own_names(MockHttpToolsProtocol, JsonParserErrors) - set(vars(HttpToolsProtocol))
    listed = {*protocol.methods, *protocol.attributes}
    for cls in (MockHttpToolsProtocol, JsonParserErrors):
        plain, inherited, nested = self_uses(cls)
        assert plain - own - listed == set(), cls.__name__
        assert inherited - set(protocol.methods) == set(), cls.__name__
        assert nested.get("cycle", set()) <= set(uses("RequestResponseCycle").attributes)
        assert nested.get("config", set()) <= set(uses("Config").attributes)
    # The uvicorn hooks the mixin overrides (uvicorn must still call them), and the hand-over's keywords.
    overridden = {name for name in vars(JsonParserErrors) if callable(getattr(H11Protocol, name, None))}
    assert overridden <= set(uses("H11Protocol").methods)
    tree = ast.parse(inspect.getsource(calyptia_mock.http_protocol))
    (hand_over,) = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "JsonErrorH11Protocol"
    ]
    assert {keyword.arg for keyword in hand_over.keywords} == set(uses("H11Protocol").parameters)
