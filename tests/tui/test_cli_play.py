"""``calmline play`` and plain ``calmline``: arguments, one-line errors, the app's options."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from scoring.recording import Mode
from simulator.cli import CommandError, main
from simulator.cli.play import parse_values
from simulator.tui.app import create_app
from tests.tui.driving import CALL, SIZE, answer, blender, cli_run, screen_text


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The options the UI would have been opened with (the UI itself is not started)."""
    calls: list[dict[str, Any]] = []

    def fake_run(**options: Any) -> int:
        calls.append(options)
        return 0

    monkeypatch.setattr("simulator.cli.play._run", fake_run)
    return calls


def test_parse_values() -> None:
    assert parse_values(["anger=80", " trust = 2 "]) == {"anger": 80, "trust": 2}
    for bad in ["anger", "=3", "anger=lots", "anger=1.5"]:
        with pytest.raises(CommandError):
            parse_values([bad])


def test_plain_calmline_opens_the_catalogue(opened: list[dict[str, Any]]) -> None:
    assert main([]) == 0
    assert main(["--no-animation"]) == 0
    assert [o["animation"] for o in opened] == [True, False]
    # Certification attempts chosen in the catalogue are recorded; practice ones are not.
    assert all(callable(o["recorder_factory"]) for o in opened)


def test_play_passes_the_scenario_and_options(opened: list[dict[str, Any]]) -> None:
    assert main(["play", str(CALL), "--no-animation", "--seed", "3", "--at", "facts",
                 "--set", "anger=80", "--watch"]) == 0
    (options,) = opened
    assert options["scenario"].id == "blender"
    assert (options["mode"], options["seed"], options["start"], options["start_values"],
            options["watch"], options["animation"]) == (Mode.PRACTICE, 3, "facts",
                                                        {"anger": 80}, True, False)


def test_no_animation_before_the_command_is_kept(opened: list[dict[str, Any]]) -> None:
    assert main(["--no-animation", "play", str(CALL)]) == 0
    assert opened[0]["animation"] is False


def test_play_by_library_id(opened: list[dict[str, Any]]) -> None:
    assert main(["play", "vulgar-caller", "--mode", "certification", "--trainee", "Ann"]) == 0
    assert opened[0]["scenario"].id == "vulgar-caller"
    assert (opened[0]["mode"], opened[0]["trainee"]) == (Mode.CERTIFICATION, "Ann")


@pytest.mark.parametrize(("argv", "message"), [
    (["play", str(CALL), "--at", "nowhere"], "unknown node 'nowhere'"),
    (["play", str(CALL), "--set", "patience=3"], "unknown variable 'patience'"),
    (["play", str(CALL), "--set", "anger"], "expected VAR=N"),
    (["play", str(CALL), "--set", "anger=hot"], "'hot' is not a whole number"),
    (["play", str(CALL), "--set", "anger=1000"], "anger runs from 0 to 100"),
    (["play", str(CALL), "--set", "anger=-5"], "anger runs from 0 to 100"),
    (["play", str(CALL), "--mode", "certification", "--at", "facts"], "--at cannot be used"),
    (["play", str(CALL), "--mode", "certification", "--seed", "4"], "--seed cannot be used"),
    (["play", str(CALL), "--mode", "certification", "--watch"], "--watch cannot be used"),
])
def test_bad_arguments_are_one_line_and_exit_non_zero(
        argv: list[str], message: str, opened: list[dict[str, Any]],
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(argv)
    err = capsys.readouterr().err
    assert code != 0 and not opened
    assert err.count("\n") == 1 and message in err and err.startswith("calmline: error: ")


def test_an_unknown_scenario_exits_non_zero(opened: list[dict[str, Any]],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", "no-such-call"]) != 0
    assert "no-such-call" in capsys.readouterr().err and not opened


def test_route_logging_sends_records_to_textual_not_the_terminal() -> None:
    from textual.logging import TextualHandler

    from simulator.tui.app import route_logging

    root = logging.getLogger()
    saved = list(root.handlers)
    try:
        import sys

        root.addHandler(logging.StreamHandler(sys.stderr))
        route_logging()
        route_logging()
        assert [type(h) for h in root.handlers].count(TextualHandler) == 1
        assert not [h for h in root.handlers if getattr(h, "stream", None) is sys.stderr]
    finally:
        root.handlers[:] = saved
        logging.captureWarnings(False)


def test_garbage_collection_pauses_only_while_the_ui_starts(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import gc

    seen: list[tuple[bool, object]] = []

    def fake_run(**options: Any) -> int:
        seen.append((gc.isenabled(), options.get("scenario")))
        return 0

    monkeypatch.setattr("simulator.cli.play._run", fake_run)
    assert gc.isenabled()
    assert main(["play", str(CALL)]) == 0
    assert main([]) == 0
    assert [enabled for enabled, _ in seen] == [False, False] and gc.isenabled()
    assert main(["play", str(CALL), "--at", "nowhere"]) == 2  # a way out with an error
    assert main(["play", "no-such-call"]) == 1
    assert gc.isenabled()


async def test_the_app_calls_back_after_its_first_frame() -> None:
    from simulator.tui.app import create_app
    from tests.tui.driving import blender

    calls: list[int] = []
    app = create_app(blender(), animation=False, after_first_frame=lambda: calls.append(1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("1")
    assert calls == [1]


def test_db_reaches_the_app_for_the_trainer_report(opened: list[dict[str, Any]]) -> None:
    assert main(["--db", "/tmp/x.db"]) == 0
    assert main(["play", str(CALL), "--db", "/tmp/y.db"]) == 0
    assert [o["db"] for o in opened] == ["/tmp/x.db", "/tmp/y.db"]


async def test_f4_reads_the_store_the_app_was_opened_with(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from scoring.store import StoreError
    from simulator.tui.app import create_app
    from simulator.tui.screens import trainer
    from tests.tui.driving import LIBRARY, SIZE

    read: list[str | None] = []

    def fake_report(db: str | None) -> Any:
        read.append(db)
        raise StoreError("no store here")

    monkeypatch.setenv("CALMLINE_DB", "/tmp/the-wrong-one.db")
    monkeypatch.setattr(trainer, "load_report", fake_report)
    app = create_app(animation=False, library=LIBRARY, db="/tmp/x.db")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, trainer.TrainerScreen)
    assert read == ["/tmp/x.db"]


async def test_the_trainer_plot_of_an_empty_store_is_hidden_not_a_full_bar(
        tmp_path: Any) -> None:
    from textual.widgets import Sparkline, Static

    from simulator.tui.app import create_app
    from simulator.tui.screens.trainer import TrainerScreen
    from tests.tui.driving import LIBRARY, SIZE

    app = create_app(animation=False, library=LIBRARY, db=str(tmp_path / "empty.db"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrainerScreen) and screen.report is not None
        assert screen.report.attempts == 0
        assert not screen.query_one(Sparkline).display
        assert "no finished attempts yet" in str(
            screen.query_one("#trainer-plot-title", Static).render())


def test_the_trainer_plot_title_carries_the_figures_a_one_day_plot_cannot_show() -> None:
    from simulator.tui.screens.trainer import plot_title

    assert plot_title([("2026-11-23", 0.0)]).endswith(": 0.0% on 2026-11-23 (one day so far)")
    assert plot_title([("2026-11-22", 40.0), ("2026-11-23", 62.5)]).endswith(
        ": 2 days, lowest 40.0%, highest 62.5%, latest 62.5% (2026-11-23)")


@pytest.mark.parametrize("seed", [0, 7, 123456])
async def test_play_and_run_with_the_same_seed_show_the_same_order(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    """What a trainee sees in `calmline play --seed N` is what `calmline run --seed N`
    reports, turn by turn: the numbered replies on screen and run's next choices."""
    scenario = blender()
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("simulator.cli.play._run", lambda **options: calls.append(options) or 0)
    assert main(["play", str(CALL), "--no-animation", "--seed", str(seed)]) == 0
    app = create_app(**calls[0])  # the app `calmline play --seed N` opens
    path = ["sorry-ask", "swap"]
    says = {c.id: c.say for n in scenario.nodes.values() for c in n.choices}
    ran = [[says[c][:30] for c in cli_run(capsys, scenario, path[:i], seed=seed)["choices"]]
           for i in range(len(path))]
    async with app.run_test(size=SIZE) as pilot:
        for i, choice in enumerate(path):
            lines = screen_text(app).splitlines()
            on_screen = [line.strip()[2:32] for line in lines if line.strip()[:2] in
                         ("1 ", "2 ", "3 ")]
            assert on_screen == ran[i]
            await answer(pilot, choice)
