"""ChoiceList: the trainee's possible replies, numbered, picked by key, arrows or mouse."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option as Item

from simulator.engine.session import Option


def _items(replies: Sequence[Option]) -> list[Item]:
    return [Item(Content.assemble((f"{n} ", "bold"), option.say or "(say nothing)"),
                 id=option.id) for n, option in enumerate(replies, 1)]


class ChoiceList(OptionList):
    """The replies on offer now. Set :attr:`replies`; listen for :class:`ChoiceList.Selected`."""

    replies: reactive[tuple[Option, ...]] = reactive((), init=False, always_update=True)

    class Selected(Message):
        """The trainee picked a reply of the prompt numbered :attr:`prompt`."""

        def __init__(self, choice_id: str, number: int, prompt: int) -> None:
            super().__init__()
            self.choice_id = choice_id
            self.number = number
            """Its 1-based position in the list as shown."""
            self.prompt = prompt
            """The prompt the reply was shown for (an :attr:`Attempt.prompt_id`)."""

    def __init__(self, replies: Sequence[Option] = (), *, id: str | None = None) -> None:
        super().__init__(*_items(replies), id=id)
        self.set_reactive(ChoiceList.replies, tuple(replies))
        #: The prompt the replies on screen belong to; None until they have been drawn, and
        #: while it is None no reply is picked (a key that comes before the screen shows the
        #: replies cannot answer them).
        self.prompt: int | None = None

    def on_mount(self) -> None:
        self.highlighted = 0 if self.replies else None

    def watch_replies(self, replies: Sequence[Option]) -> None:
        self.set_options(_items(replies))
        self.highlighted = 0 if replies else None

    def pick(self, number: int) -> bool:
        """Pick the reply numbered ``number`` (1-based); False if there is no such reply."""
        if self.prompt is None or not 1 <= number <= len(self.replies):
            return False
        self.post_message(self.Selected(self.replies[number - 1].id, number, self.prompt))
        return True

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.pick(event.option_index + 1)
