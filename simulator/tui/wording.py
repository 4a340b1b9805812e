"""The words and small text pictures the terminal UI shows: pure functions, no Textual."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scoring.recording import Mode
from scoring.rubric import BY_ID
from simulator.engine.model import DIFFICULTIES, Persona, Scenario, Variable
from simulator.engine.problems import Problem
from simulator.engine.session import PROMPTED, UNDERSTOOD, UNMATCHED, Step
from simulator.formats import signed

#: The smallest terminal the screens are laid out for; below it a notice is shown instead.
MIN_WIDTH = 60
MIN_HEIGHT = 18

#: The anger scale in words, by the share of the variable's range (upper bounds, exclusive).
ANGER_WORDS: tuple[tuple[float, str], ...] = (
    (0.25, "calm"),
    (0.50, "irritated"),
    (0.75, "angry"),
    (1.01, "furious"),
)

MODE_LABELS: dict[Mode, str] = {
    Mode.PRACTICE: "Practice",
    Mode.CERTIFICATION: "Certification",
}

MODE_HELP: dict[Mode, str] = {
    Mode.PRACTICE: "Feedback after every reply; undo and restart as often as you like.",
    Mode.CERTIFICATION: "Timed replies in shuffled order, no undo, no feedback until the end.",
}

TYPED_HELP = "You type each reply in your own words."
TYPED_IN_CERTIFICATION = ("You type each reply in your own words: twice the time per reply, "
                          "and a reply not recognised counts as no reply.")

CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def fits(width: int, height: int) -> bool:
    """True when a terminal of this size can show the screens."""
    return width >= MIN_WIDTH and height >= MIN_HEIGHT


def share(value: int, low: int, high: int) -> float:
    """Where ``value`` sits in ``[low, high]``, from 0.0 to 1.0."""
    if high <= low:
        return 0.0
    return max(0.0, min(1.0, (value - low) / (high - low)))


def anger_word(value: int, low: int = 0, high: int = 100) -> str:
    """The customer's anger in one word: calm, irritated, angry or furious."""
    level = share(value, low, high)
    for bound, word in ANGER_WORDS:
        if level < bound:
            return word
    return ANGER_WORDS[-1][1]


def gauge(fraction: float, width: int) -> str:
    """A bar of ``width`` cells, filled in proportion to ``fraction`` (0.0 to 1.0)."""
    width = max(0, width)
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)



def trend(before: int, after: int) -> str:
    """How a value moved, readable without colour: ``▲ +10``, ``▼ -20`` or ``steady``."""
    if after > before:
        return f"▲ {signed(after - before)}"
    if after < before:
        return f"▼ {signed(after - before)}"
    return "steady"


def money(amount: float, currency: str = "USD") -> str:
    """An order value with its currency: ``$59.99``, ``€12.00``, ``12.00 CHF``."""
    sign = CURRENCY_SIGNS.get(currency.upper())
    return f"{sign}{amount:,.2f}" if sign else f"{amount:,.2f} {currency}"


def persona_line(persona: Persona) -> str:
    """Who is calling and about what: name, product, order value."""
    name = persona.display_name
    return f"{name} · {persona.product} · {money(persona.order_value, persona.currency)}"


def principle_name(pid: str) -> str:
    """A principle's short name (its id if the rubric does not know it)."""
    p = BY_ID.get(pid)
    return p.name if p else pid


def changes(step: Step, principles: Iterable[str]) -> list[tuple[str, int]]:
    """The principles a step moved, as ``(name, delta)`` in the scenario's principle order."""
    return [(principle_name(pid), step.scores[pid]) for pid in principles
            if step.scores.get(pid)]


def change_text(name: str, delta: int) -> str:
    """One principle's change, readable without colour: ``▲ Apologize +2``."""
    arrow = "▲" if delta > 0 else "▼"
    return f"{arrow} {name} {signed(delta)}"


def anger_variable(scenario: Scenario) -> Variable | None:
    """The scenario's ``anger`` variable (required by the format; None for safety)."""
    return scenario.variables.get("anger")


def sort_catalogue(scenarios: Iterable[Scenario]) -> list[Scenario]:
    """Scenarios in catalogue order: easy to hard, then by title."""
    rank = {d: i for i, d in enumerate(DIFFICULTIES)}
    return sorted(scenarios, key=lambda s: (rank.get(s.difficulty, len(rank)), s.title, s.id))


def _haystack(scenario: Scenario) -> str:
    words = [scenario.id, scenario.title, scenario.summary, scenario.difficulty,
             *scenario.tags, *scenario.principles,
             *(principle_name(p) for p in scenario.principles)]
    return " ".join(words).lower()


def filter_scenarios(scenarios: Iterable[Scenario], query: str) -> list[Scenario]:
    """The scenarios matching every word of ``query`` (title, id, tags, difficulty, principles)."""
    terms = query.lower().split()
    return [s for s in scenarios if all(t in _haystack(s) for t in terms)]


def best_text(best: Mapping[str, float], scenario_id: str) -> str:
    """The trainee's best score so far in this run, or a dash."""
    return f"best {best[scenario_id]:.0f}%" if scenario_id in best else "not tried yet"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The headline of a scorecard."""

    word: str
    detail: str


def verdict(percent: float, total: int, best_total: int, pass_mark: int, passed: bool,
            finished: bool) -> Verdict:
    """PASSED / NOT PASSED with the percentage against the pass mark."""
    word = "PASSED" if passed else "NOT PASSED"
    detail = (f"{percent:.0f}% of the best achievable ({total} of {best_total}); "
              f"pass mark {pass_mark}%")
    if not finished:
        detail += "; the call did not reach an ending"
    return Verdict(word, detail)


def reply_text(step: Step) -> str:
    """What the trainee said on a step (the words they typed, when they typed), or what their
    silence meant."""
    if step.typed:
        return step.typed
    if step.say:
        return step.say
    return "(no reply: the time ran out)" if step.timed_out else "(you said nothing)"


@dataclass(frozen=True, slots=True)
class Better:
    """A turn where the trainee lost points, with what they said and what would have been better."""

    turn: int
    lost: int
    said: str
    better: str


def better_answers(missed: Iterable[Any], steps: Sequence[Step]) -> list[Better]:
    """The scorecard's missed chances, with the trainee's own words next to the better ones."""
    by_turn = {s.turn: s for s in steps}
    out = []
    for m in missed:
        step = by_turn.get(m.turn)
        out.append(Better(m.turn, m.lost, reply_text(step) if step else m.chose,
                          m.better_say or m.better))
    return out


def taken_as(step: Step) -> str:
    """The written reply a typed turn was taken as, or what became of it."""
    if step.match in (UNDERSTOOD, PROMPTED):
        return step.say or "(say nothing)"
    if step.match == UNMATCHED or step.timed_out:
        return "(no reply)"
    return step.say


def typed_note(step: Step) -> str:
    """How a typed turn was taken, in words: ``understood at once``, ``you picked it when
    asked "did you mean"``, ``not recognised``, ``the time ran out``."""
    return {UNDERSTOOD: "understood at once",
            PROMPTED: 'you picked it when asked "did you mean"',
            UNMATCHED: "not recognised: counted as no reply"}.get(
        step.match, "the time ran out" if step.timed_out else "picked from the list")


SHOWN_PROBLEMS = 2
"""How many of a broken save's problems the call shows (the panel has a few lines)."""


def problems_text(problems: Sequence[Problem], path: object) -> str:
    """The panel over a call whose file was saved broken: the count first (so a cut panel
    still says how many), then the first few problems as ``path:line:col: message``."""
    count = len(problems)
    noun = "a problem" if count == 1 else f"{count} problems"
    lines = [f"The saved file has {noun}; still playing the last good version."]
    lines += [str(p) for p in problems[:SHOWN_PROBLEMS]]
    if count > SHOWN_PROBLEMS:
        lines.append(f"… and {count - SHOWN_PROBLEMS} more: calmline lint {path} lists all")
    return "\n".join(lines)
