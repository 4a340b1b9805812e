"""The JSON Schema: valid, in sync with the rubric and the loader, accepting every shipped
scenario and rejecting the broken fixtures an editor can catch."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.rubric import CORE, PRINCIPLES
from simulator import library
from simulator.authoring.schema import schema, schema_path
from simulator.engine import expr
from simulator.engine.model import DIFFICULTIES, ENGINE_OUTCOMES, OUTCOMES
from simulator.engine.walker import ID_PATTERN
from tests.authoring.yaml12 import Unreadable, parse, read

DATA = Path(__file__).parent.parent / "data"
SCHEMA = schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

#: How each broken fixture is caught before calmline's own checks:
#: "schema" = the JSON Schema rejects it; "yaml" = an editor's YAML reader refuses it first;
#: "graph" = only calmline can tell (cross-references and reachability are beyond JSON Schema).
EDITOR_VERDICT = {
    "missing-field": "schema",
    "unknown-field": "schema",
    "wrong-type": "schema",
    "unknown-principle": "schema",
    "malformed-condition": "schema",
    "empty": "schema",
    "not-a-mapping": "schema",
    "duplicate-node-id": "yaml",
    "alias-bomb": "yaml",
    "binary": "yaml",
    "not-utf8": "yaml",
    "deeply-nested": "yaml",
    "missing-target": "graph",
    "duplicate-choice-id": "graph",
    "undeclared-variable": "graph",
    "unreachable-node": "graph",
    "no-way-out": "graph",
}


def verdict(path: Path) -> str:
    try:
        data = read(path)
    except Unreadable:
        return "yaml"
    return "graph" if VALIDATOR.is_valid(data) else "schema"


def test_the_schema_is_valid_draft_2020_12() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_schema_ships_in_the_package() -> None:
    assert schema_path().is_file()
    assert (resources.files("simulator.engine") / "scenario.schema.json").is_file()


def test_principle_enum_equals_the_rubric() -> None:
    assert SCHEMA["$defs"]["principle"]["enum"] == [p.id for p in PRINCIPLES]
    required = [c["contains"]["const"] for c in SCHEMA["properties"]["principles"]["allOf"]]
    assert required == list(CORE)


def test_enums_and_patterns_equal_the_loader() -> None:
    assert SCHEMA["$defs"]["ending"]["properties"]["outcome"]["enum"] == [
        o for o in OUTCOMES if o not in ENGINE_OUTCOMES]
    assert SCHEMA["properties"]["difficulty"]["enum"] == list(DIFFICULTIES)
    assert SCHEMA["$defs"]["id"]["pattern"] == ID_PATTERN.pattern


def _closed(node: object) -> list[dict[str, object]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            found.append(node)
        for value in node.values():
            found.extend(_closed(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_closed(value))
    return found


def test_every_object_with_fields_is_closed() -> None:
    objects = _closed(SCHEMA)
    assert len(objects) >= 8
    assert all(o.get("additionalProperties") is False for o in objects)


SHIPPED = library.scenario_files()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_schema_accepts_every_shipped_scenario(path: Path) -> None:
    errors = [e.message for e in VALIDATOR.iter_errors(read(path))]
    assert errors == []


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_scenarios_point_editors_at_the_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../simulator/engine/scenario.schema.json"


@pytest.mark.parametrize("path", [DATA / "tiny.yaml", DATA / "loop.yaml",
                                  *sorted((DATA / "lint").glob("*.yaml"))],
                         ids=lambda p: p.stem)
def test_schema_accepts_valid_test_scenarios(path: Path) -> None:
    assert VALIDATOR.is_valid(read(path))


def test_schema_accepts_the_starter() -> None:
    text = (resources.files("simulator.templates") / "starter.yaml").read_text("utf-8")
    data = parse(text.replace("{{id}}", "starter"))
    assert [e.message for e in VALIDATOR.iter_errors(data)] == []


@pytest.mark.parametrize("name", sorted(EDITOR_VERDICT))
def test_broken_fixture_is_caught_where_expected(name: str) -> None:
    assert verdict(DATA / "broken" / f"{name}.yaml") == EDITOR_VERDICT[name]


def test_every_broken_fixture_has_an_editor_verdict() -> None:
    assert {p.stem for p in (DATA / "broken").glob("*.yaml")} == set(EDITOR_VERDICT)


CONDITION = SCHEMA["$defs"]["condition"]
TOKENS = ["anger", "trust", "and", "or", "not", "(", ")", "==", "!=", "<", "<=", ">", ">=",
          "5", "-3", "85", " ", "=>", "!", "x1", "_y"]


@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=12),
       st.lists(st.booleans(), min_size=12, max_size=12))
def test_condition_pattern_accepts_whatever_the_grammar_accepts(parts: list[str],
                                                                spaces: list[bool]) -> None:
    text = "".join(p + (" " if s else "") for p, s in zip(parts, spaces, strict=False))
    try:
        expr.parse(text)
    except expr.ExprError:
        return
    jsonschema.validate(text, CONDITION)


@pytest.mark.parametrize("text", ["anger >= 85", "trust < 3 and anger > 50",
                                  "not (warned == 0 or anger < 40)", "not(anger>5)",
                                  "anger>=-5", "(anger > 1) or (trust < 2)"])
def test_condition_pattern_accepts_the_documented_forms(text: str) -> None:
    assert jsonschema.Draft202012Validator(CONDITION).is_valid(text)


@pytest.mark.parametrize("text", ["anger => 85", "anger >", "anger 85", "anger > 5 and",
                                  "anger >= 85 && trust < 2", "anger = 5", "len(x) > 2"])
def test_condition_pattern_rejects_common_mistakes(text: str) -> None:
    assert not jsonschema.Draft202012Validator(CONDITION).is_valid(text)
