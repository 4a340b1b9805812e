"""The scenario outline behind the tree view, built without the UI."""

from __future__ import annotations

from pathlib import Path

from simulator.engine.loader import load
from simulator.library import resolve
from simulator.tui.outline import Entry, clip, outline
from tests.tui.driving import blender


def _find(entry: Entry, kind: str, ref: str) -> Entry:
    if entry.kind == kind and entry.ref == ref:
        return entry
    for child in entry.children:
        try:
            return _find(child, kind, ref)
        except LookupError:
            continue
    raise LookupError((kind, ref))


def test_outline_has_nodes_start_first_then_endings_marked_by_outcome() -> None:
    root = outline(blender())
    assert root.label == "The blender that stopped (blender)"
    nodes, endings = root.children
    assert [n.ref for n in nodes.children] == ["opening", "facts"]
    assert nodes.children[0].label.startswith("opening (start): “Two days.")
    assert [e.label.split(":")[0] for e in endings.children] == [
        "sorted [Resolved]", "walked-out [Customer hung up]"]


def test_choices_show_scores_criticality_and_every_route() -> None:
    opening = _find(outline(blender()), "node", "opening")
    choices = {c.label.split(":")[0]: c for c in opening.children}
    assert set(choices) == {"sorry-ask", "manual", "sneer", "silence"}
    assert "(Apologize +2, Solve and follow up +1)" in choices["sorry-ask"].label
    assert choices["sneer"].label.endswith("CRITICAL")
    assert [t.label for t in choices["manual"].children] == [
        "if anger >= 90 → ending walked-out [Customer hung up]", "→ facts"]
    assert [t.ref for t in choices["silence"].children] == ["opening"]


def test_a_looping_scenario_gives_a_finite_outline() -> None:
    sc = load(Path(__file__).parents[1] / "data" / "loop.yaml")  # 'ask' leads back to itself
    root = outline(sc)

    def count(e: Entry) -> int:
        return 1 + sum(count(c) for c in e.children)

    choices = sum(len(n.choices) + (n.silence is not None) for n in sc.nodes.values())
    routes = sum(max(1, len(c.routes)) for n in sc.nodes.values()
                 for c in [*n.choices, *([n.silence] if n.silence else [])])
    assert count(root) == 3 + len(sc.nodes) + choices + routes + len(sc.endings)


def test_clip_flattens_and_cuts() -> None:
    assert clip("a  b\n c") == "a b c"
    assert clip("x" * 10, 5) == "xxxx…"


def test_a_choice_without_routes_stays_at_its_node() -> None:
    from dataclasses import replace

    from simulator.engine.model import Choice

    sc = blender()
    wait = Choice("hold", "One moment, please.", {}, {}, "A pause.", routes=())
    opening = replace(sc.nodes["opening"], choices=(wait,), silence=None)
    entry = outline(replace(sc, nodes={**sc.nodes, "opening": opening}))
    choice = entry.children[0].children[0].children[0]
    assert choice.label == "hold: “One moment, please.”"
    assert [(t.label, t.ref) for t in choice.children] == [("→ stays at opening", "opening")]


def test_long_lines_are_clipped_in_labels() -> None:
    root = outline(resolve("lawsuit-bluff"))
    labels = [n.label for n in root.children[0].children]
    assert all(len(label) < 120 for label in labels)
    assert any(label.endswith("…”") for label in labels)
