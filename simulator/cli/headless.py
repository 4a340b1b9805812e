"""The headless certification prompt: each turn printed, one reply read per line in time."""

from __future__ import annotations

import math
import os
import select
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from simulator.cli.storeargs import say

if TYPE_CHECKING:
    from simulator.engine.session import Option, Prompt

#: Seconds from some fixed point, never going back.
Clock = Callable[[], float]
#: ``wait(fd, seconds)``: True when ``fd`` has input before ``seconds`` pass.
Wait = Callable[[int, float], bool]


def wait_readable(fd: int, seconds: float) -> bool:
    """Block until ``fd`` has input or ``seconds`` pass; True when it has input."""
    ready, _, _ = select.select([fd], [], [], seconds)
    return bool(ready)


class LineReader:
    """Reads lines from a file descriptor with a deadline (for the reply countdown).
    ``clock`` and ``wait`` are injectable, so the countdown is tested without waiting."""

    def __init__(self, fd: int, clock: Clock = time.monotonic,
                 wait: Wait = wait_readable) -> None:
        self.fd = fd
        self.clock = clock
        self.wait = wait
        self.buffer = b""
        self.ended = False

    def readline(self, timeout: float) -> str | None:
        """The next line without its newline; None when ``timeout`` seconds pass first.
        EOFError once the input has ended."""
        deadline = self.clock() + timeout
        while True:
            if b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                return line.decode("utf-8", "replace").strip()
            if self.ended:
                if self.buffer:
                    line, self.buffer = self.buffer, b""
                    return line.decode("utf-8", "replace").strip()
                raise EOFError
            left = deadline - self.clock()
            if left <= 0 or not self.wait(self.fd, left):
                return None
            chunk = os.read(self.fd, 4096)
            if chunk:
                self.buffer += chunk
            else:
                self.ended = True


def headless_answerer(reader: LineReader, persona: str) -> Any:
    """An answerer for :func:`simulator.training.play_certification` that prints each prompt and
    reads the reply (a number or a choice id) before the countdown runs out (on the
    reader's clock)."""

    def answer(prompt: Prompt, seconds: int) -> str | None:
        if prompt.narration:
            say(f"turn {prompt.turn + 1} - On screen: {prompt.narration}")
        say(f"turn {prompt.turn + 1} - {persona}: {prompt.line}")
        for i, option in enumerate(prompt.options, 1):
            say(f"  {i}. [{option.id}] {option.say}")
        deadline = reader.clock() + seconds
        ids = [o.id for o in prompt.options]
        while True:
            left = max(0.0, deadline - reader.clock())
            say(f"reply ({math.ceil(left)} s)>")
            line = reader.readline(left)
            if line is None:
                say("time is up: the customer heard silence")
                return None
            if line.isdigit() and 1 <= int(line) <= len(ids):
                return ids[int(line) - 1]
            if line in ids:
                return line
            shown = line if len(line) <= 40 else line[:40] + "..."
            say(f"unknown reply {shown!r}: type a number 1-{len(ids)} or a choice id")

    return answer


def typed_headless_answerer(reader: LineReader, persona: str) -> Any:
    """A typed answerer for :func:`simulator.training.play_typed_certification`: prints each
    customer line (never a list of replies) and reads what the trainee types; when "did you
    mean" offers two replies, 1 or 2 picks one and anything else is read as new words. The
    reply time covers the whole turn."""
    turn: list[int | float] = [-1, 0.0]  # the turn being answered, and its deadline

    def answer(prompt: Prompt, seconds: int, offered: tuple[Option, ...]) -> str | None:
        if turn[0] != prompt.turn:
            turn[0], turn[1] = prompt.turn, reader.clock() + seconds
            if prompt.narration:
                say(f"turn {prompt.turn + 1} - On screen: {prompt.narration}")
            say(f"turn {prompt.turn + 1} - {persona}: {prompt.line}")
        elif offered:
            say("did you mean one of these? type 1 or 2, or say it another way")
            for i, option in enumerate(offered, 1):
                say(f"  {i}. {option.say}")
        while True:
            left = max(0.0, turn[1] - reader.clock())
            say(f"your reply ({math.ceil(left)} s)>")
            line = reader.readline(left)
            if line is None:
                say("time is up: the customer heard silence")
                return None
            if offered and line in ("1", "2")[:len(offered)]:
                return offered[int(line) - 1].id
            if line:
                return line

    return answer
