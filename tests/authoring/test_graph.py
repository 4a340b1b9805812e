"""Mermaid and DOT export: every route an edge, endings by outcome, labels safely quoted."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from simulator.authoring.graph import edges, render, to_dot, to_mermaid
from simulator.engine.loader import load
from simulator.engine.model import Scenario

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def tiny() -> Scenario:
    return load(DATA / "tiny.yaml")


def test_every_route_is_one_edge(tiny: Scenario) -> None:
    assert [(e.source, e.target, e.label) for e in edges(tiny)] == [
        ("opening", "fix", "sorry"),
        ("opening", "hangup", "argue [anger >= 85]"),
        ("opening", "fix", "argue"),
        ("fix", "done", "replace"),
        ("fix", "hangup", "shrug"),
    ]


def test_mermaid_tiny(tiny: Scenario) -> None:
    assert to_mermaid(tiny).splitlines() == [
        "%% Tiny test call (tiny)",
        "flowchart TD",
        '    s0["opening (start)"]',
        '    s1["fix"]',
        '    s2(["done: Resolved"]):::resolved',
        '    s3(["hangup: Customer hung up"]):::hung_up',
        '    s0 -->|"sorry"| s1',
        '    s0 -->|"argue [anger #62;= 85]"| s3',
        '    s0 -->|"argue"| s1',
        '    s1 -->|"replace"| s2',
        '    s1 -->|"shrug"| s3',
        "    classDef hung_up fill:#ffcdd2,stroke:#555",
        "    classDef resolved fill:#c8e6c9,stroke:#555",
    ]


def test_dot_tiny(tiny: Scenario) -> None:
    out = to_dot(tiny)
    assert '"opening" -> "hangup" [label="argue [anger >= 85]"];' in out
    assert ('"done" [label="done\\nResolved", shape=ellipse, style=filled, '
            'fillcolor="#c8e6c9", class="outcome-resolved"];') in out
    assert out.count("->") == 5 and out.rstrip().endswith("}")


def test_loops_silence_and_critical_choices_are_drawn(tmp_path: Path) -> None:
    loop = load(DATA / "loop.yaml")
    mermaid = to_mermaid(loop)
    dot = to_dot(loop)
    critical = [e for e in edges(loop) if e.critical]
    assert critical
    for e in critical:
        assert f'[label="{e.label}", color="#c62828"' in dot
    assert "==>" in mermaid and "(critical)" in mermaid
    starter = (Path(__file__).parents[2] / "simulator" / "templates" / "starter.yaml")
    text = starter.read_text(encoding="utf-8").replace("{{id}}", "starter")
    path = tmp_path / "starter.yaml"
    path.write_text(text, encoding="utf-8")
    s = load(path)
    assert '"opening" -> "opening" [label="silence", style=dashed];' in to_dot(s)
    assert 'opening #40;start#41;' not in to_mermaid(s)
    assert re.search(r's0 -\.->\|"silence"\| s0', to_mermaid(s))


def test_hostile_text_is_quoted(tiny: Scenario) -> None:
    nasty = 'Say "hi" \\ then <b>#1</b> & `rm` | done\nnext line'
    s = replace(tiny, title=nasty)
    dot = to_dot(s)
    assert 'label="Say \\"hi\\" \\\\ then <b>#1</b> & `rm` | done next line";' in dot
    first = to_mermaid(s).splitlines()[0]
    assert first == ("%% Say #34;hi#34; \\ then #60;b#62;#35;1#60;/b#62; #38; #96;rm#96; "
                     "#124; done next line (tiny)")


def test_render_refuses_unknown_formats(tiny: Scenario) -> None:
    with pytest.raises(ValueError, match="unknown graph format 'png'"):
        render(tiny, "png")
