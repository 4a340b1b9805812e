"""TreeScreen: a scenario as a tree: nodes, their choices, and where each choice leads."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from simulator.engine.model import Scenario
from simulator.tui.outline import Entry, outline
from simulator.tui.screens.fitted import Fitted
from simulator.tui.widgets.key_bar import KeyBar


class TreeScreen(Fitted, Screen[None]):
    """Browse a scenario's graph. Selecting a target jumps to the node it leads to."""

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", key_display="esc"),
        Binding("e", "expand_all", "Expand all"),
        Binding("c", "collapse_all", "Collapse all"),
    ]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario
        self.entries: dict[str, TreeNode[Entry]] = {}

    def compose(self) -> ComposeResult:
        yield Static(f"{self.scenario.title}: the call as a tree. Enter on a → target "
                     "jumps to it.", id="tree-title")
        root = outline(self.scenario)
        tree: Tree[Entry] = Tree(root.label, data=root, id="outline")
        tree.root.expand()
        for group in root.children:
            branch = tree.root.add(group.label, data=group, expand=True)
            for entry in group.children:
                self._add(branch, entry)
        yield tree
        yield KeyBar()

    def _add(self, parent: TreeNode[Entry], entry: Entry) -> None:
        if not entry.children:
            node = parent.add_leaf(entry.label, data=entry)
        else:
            node = parent.add(entry.label, data=entry)
            for child in entry.children:
                self._add(node, child)
        if entry.kind in ("node", "ending"):
            self.entries[entry.ref] = node

    def on_mount(self) -> None:
        self.query_one(Tree).focus()

    @on(Tree.NodeSelected)
    def _jump(self, event: Tree.NodeSelected[Entry]) -> None:
        entry = event.node.data
        if entry is not None and entry.kind == "target" and entry.ref in self.entries:
            node = self.entries[entry.ref]
            node.expand()
            tree = self.query_one(Tree)
            tree.move_cursor(node)
            tree.scroll_to_node(node)

    def action_expand_all(self) -> None:
        """Open every branch."""
        self.query_one(Tree).root.expand_all()

    def action_collapse_all(self) -> None:
        """Close every branch but the top ones."""
        tree = self.query_one(Tree)
        for group in tree.root.children:
            for node in group.children:
                node.collapse_all()
