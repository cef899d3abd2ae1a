"""Every command of the app as a QAction, defined once: text, keys, status tip, menu.

Menus, the shortcuts sheet and the tests all read this table, so a key shown anywhere is the
key that works. Standard keys come from QKeySequence.StandardKey where Qt has one; the
fallback is used where a platform maps the standard key to nothing.

`PANE_SPECS` are the keys of one pane (the Study card, the comparison table in recall): plain
keys such as Space and 1–4 that must not reach the rest of the window. They are made with the
others (so the shortcuts sheet lists them) but belong to no widget until their pane is built
and `attach_pane` puts them on it, with the WidgetWithChildrenShortcut context.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

SK = QKeySequence.StandardKey
# The search field's hint, naming the search action's key; the window shows it before the
# field exists.
SEARCH_HINT = "Search topics (Ctrl+K)"


class ActionSpec:
    """One command. A plain class: `typing.NamedTuple` would cost the first paint its import
    (see app._window_for) and the class's making."""

    __slots__ = ("checkable", "keys", "menu", "name", "pane", "standard", "text", "tip")

    def __init__(
        self,
        name: str,
        menu: str,
        text: str,
        tip: str,
        standard: QKeySequence.StandardKey | None = None,
        keys: tuple[str, ...] = (),  # used when there is no standard key, or added after it
        checkable: bool = False,
        pane: str = "",  # PANE_SPECS: the pane whose keys these are
    ) -> None:
        self.name, self.menu, self.text, self.tip = name, menu, text, tip
        self.standard, self.keys, self.checkable = standard, keys, checkable
        self.pane = pane


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "open_library",
        "File",
        "&Open Library…",
        "Open another folder of Markdown topics",
        SK.Open,
        ("Ctrl+O",),
    ),
    ActionSpec(
        "clear_recent",
        "File/Recent",
        "&Clear Menu",
        "Forget the libraries opened lately (File → Open Recent)",
    ),
    ActionSpec(
        "print", "File", "&Print…", "Print the current topic, with a preview", SK.Print, ("Ctrl+P",)
    ),
    ActionSpec(
        "print_topics",
        "File",
        "Print &Topics…",
        "Print several topics, categories or the whole library",
        None,
        ("Ctrl+Shift+P",),
    ),
    ActionSpec(
        "print_section",
        "File",
        "Print &Section…",
        "Print one section on its own: the one chosen in the outline, else the one at the top "
        "of the page",
        None,
        ("Ctrl+Alt+P",),
    ),
    ActionSpec(
        "export_pdf",
        "File",
        "&Export PDF…",
        "Save the current topic as a PDF",
        None,
        ("Ctrl+Shift+E",),
    ),
    ActionSpec(
        "export_topics_pdf",
        "File",
        "Export Topics as P&DF…",
        "Save several topics as one PDF",
        None,
        ("Ctrl+Alt+E",),
    ),
    ActionSpec("quit", "File", "&Quit", "Quit Cloudref", SK.Quit, ("Ctrl+Q",)),
    ActionSpec(
        "search",
        "Go",
        "&Search…",
        "Find a topic by name or full text",
        None,
        ("Ctrl+K", "Ctrl+L", "/"),
    ),
    ActionSpec("back", "Go", "&Back", "Go back to the previous place", SK.Back, ("Alt+Left",)),
    ActionSpec("forward", "Go", "&Forward", "Go forward again", SK.Forward, ("Alt+Right",)),
    ActionSpec(
        "previous_topic",
        "Go",
        "&Previous Topic",
        "The topic before this one in the tree",
        None,
        ("Ctrl+PgUp",),
    ),
    ActionSpec(
        "next_topic",
        "Go",
        "&Next Topic",
        "The topic after this one in the tree",
        None,
        ("Ctrl+PgDown",),
    ),
    ActionSpec(
        "go_to_section",
        "Go",
        "Go to &Section…",
        "The outline of this topic: type to filter its sections, Enter jumps",
        None,
        ("Ctrl+Shift+O",),
    ),
    ActionSpec("find", "Go", "&Find in Page…", "Find text in this page", SK.Find, ("Ctrl+F",)),
    ActionSpec("find_next", "Go", "Find &Next", "Next match in this page", SK.FindNext, ("F3",)),
    ActionSpec(
        "find_previous",
        "Go",
        "Find Pre&vious",
        "Previous match in this page",
        SK.FindPrevious,
        ("Shift+F3",),
    ),
    ActionSpec(
        "focus_next",
        "Go",
        "Next &Pane",
        "Move focus: tree, sections, page, comparison, study, search",
        None,
        ("F6",),
    ),
    ActionSpec(
        "focus_previous", "Go", "Previous Pa&ne", "Move focus the other way", None, ("Shift+F6",)
    ),
    ActionSpec(
        "toggle_tree",
        "View",
        "Topic &Tree",
        "Show or hide the topic tree",
        None,
        ("Ctrl+B",),
        checkable=True,
    ),
    ActionSpec("show_page", "View", "&Page", "Show the topic page", None, ("Ctrl+1",)),
    ActionSpec(
        "show_compare", "View", "&Comparison", "Show the comparison table", None, ("Ctrl+2",)
    ),
    ActionSpec(
        "show_study",
        "View",
        "&Study",
        "Practise recall on the cards that are due: Space shows the answer, 1–4 grade it",
        None,
        ("Ctrl+3",),
    ),
    ActionSpec(
        "practise_topic",
        "View",
        "Practise &This Topic",
        "Go over this topic's flashcards now, whether due or not",
        None,
        ("Ctrl+Shift+3",),
    ),
    ActionSpec(
        "compare_recall",
        "View",
        "&Recall in Comparison",
        "Blank the comparison's cells: Space reveals one, 1–4 grade your recall",
        None,
        ("Ctrl+Shift+R",),
        checkable=True,
    ),
    ActionSpec(
        "compare_with",
        "View",
        "Compare &With…",
        "Open the comparison with this topic's subject",
        None,
        ("Ctrl+Shift+C",),
    ),
    ActionSpec(
        "compare_differences",
        "View",
        "≠ &Differences Only",
        "In the comparison, hide rows where every subject shown has the same value",
        None,
        ("Ctrl+Shift+D",),
        checkable=True,
    ),
    ActionSpec(
        "zoom_in", "View", "Zoom &In", "Larger text and diagrams", SK.ZoomIn, ("Ctrl+=", "Ctrl++")
    ),
    ActionSpec(
        "zoom_out", "View", "Zoom &Out", "Smaller text and diagrams", SK.ZoomOut, ("Ctrl+-",)
    ),
    ActionSpec("zoom_reset", "View", "&Actual Size", "Reset the zoom", None, ("Ctrl+0",)),
    ActionSpec(
        "reload", "View", "&Reload", "Read the library from disk again", SK.Refresh, ("F5",)
    ),
    ActionSpec(
        "theme_system",
        "View/Theme",
        "Follow &System",
        "Light or dark as the system is",
        None,
        (),
        checkable=True,
    ),
    ActionSpec("theme_light", "View/Theme", "&Light", "Always light", None, (), checkable=True),
    ActionSpec("theme_dark", "View/Theme", "&Dark", "Always dark", None, (), checkable=True),
    ActionSpec(
        "toggle_bookmark",
        "Bookmarks",
        "&Bookmark This Topic",
        "Add or remove a bookmark on this topic",
        None,
        ("Ctrl+D",),
        checkable=True,
    ),
    ActionSpec(
        "bookmark_section",
        "Bookmarks",
        "Bookmark This &Section",
        "Add or remove a bookmark on the section at the top of the page",
        None,
        ("Ctrl+Alt+D",),
        checkable=True,
    ),
    ActionSpec(
        "show_bookmarks",
        "Bookmarks",
        "&Show Bookmarks…",
        "A list of your bookmarks to open by keyboard",
        None,
        ("Ctrl+Shift+B",),
    ),
    ActionSpec(
        "shortcuts",
        "Help",
        "&Keyboard Shortcuts",
        "Every shortcut of the app",
        SK.HelpContents,
        ("F1", "?"),
    ),
    ActionSpec("about", "Help", "&About Cloudref", "Version, Qt and Python versions, licence"),
)


_GRADES = (
    ("again", "Again", "1"),
    ("hard", "Hard", "2"),
    ("good", "Good", "3"),
    ("easy", "Easy", "4"),
)
STUDY_PANE, RECALL_PANE = "study", "recall"
PANE_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "study_reveal",
        "Study",
        "Show the Answer",
        "Show the answer of the card on show",
        None,
        ("Space", "Return", "Enter"),
        pane=STUDY_PANE,
    ),
    *(
        ActionSpec(
            f"study_{name}",
            "Study",
            f"Grade the Card {text}",
            f"Grade the card {text} and bring the next",
            None,
            (key,),
            pane=STUDY_PANE,
        )
        for name, text, key in _GRADES
    ),
    ActionSpec(
        "study_open_source",
        "Study",
        "Open the Card's Topic",
        "Open the topic and section the card comes from",
        None,
        ("O",),
        pane=STUDY_PANE,
    ),
    ActionSpec(
        "recall_reveal",
        "Comparison recall",
        "Reveal the Cell",
        "Show the value of the blank cell",
        None,
        ("Space", "Return", "Enter"),
        pane=RECALL_PANE,
    ),
    *(
        ActionSpec(
            f"recall_{name}",
            "Comparison recall",
            f"Grade the Cell {text}",
            f"Grade your recall of the revealed cell {text}",
            None,
            (key,),
            pane=RECALL_PANE,
        )
        for name, text, key in _GRADES
    ),
)
GRADE_ACTIONS = {
    pane: [f"{pane}_{name}" for name, _t, _k in _GRADES] for pane in (STUDY_PANE, RECALL_PANE)
}


def key_sequences(spec: ActionSpec) -> list[QKeySequence]:
    """The standard key first (where the platform has one), then the spec's own keys."""
    sequences: list[QKeySequence] = []
    if spec.standard is not None:
        sequences += [s for s in QKeySequence.keyBindings(spec.standard) if not s.isEmpty()]
    for key in spec.keys:
        sequence = QKeySequence(key)
        if sequence not in sequences:
            sequences.append(sequence)
    return sequences


def _action(spec: ActionSpec, parent) -> QAction:
    action = QAction(spec.text, parent)
    action.setObjectName(spec.name)
    action.setStatusTip(spec.tip)
    action.setToolTip(spec.tip)
    action.setCheckable(spec.checkable)
    sequences = key_sequences(spec)
    if sequences:
        action.setShortcuts(sequences)
    return action


def create_actions(parent) -> dict[str, QAction]:
    """Every action, window-wide ones added to `parent` (the window); the panes' ones wait for
    their pane (`attach_pane`)."""
    actions: dict[str, QAction] = {}
    for spec in SPECS:
        action = actions[spec.name] = _action(spec, parent)
        parent.addAction(action)  # keys work even while the menu bar is hidden
    for spec in PANE_SPECS:
        actions[spec.name] = _action(spec, parent)
    return actions


def attach_pane(widget, pane: str, actions: dict[str, QAction] | None = None) -> dict[str, QAction]:
    """The actions of `pane` on `widget`, their keys working while the focus is in it or its
    children: the window's (`actions`), or new ones from the same specs for a pane on its own."""
    from viewer.ui.lazy_qt import Qt

    chosen: dict[str, QAction] = {}
    for spec in PANE_SPECS:
        if spec.pane == pane:
            action = actions[spec.name] if actions is not None else _action(spec, widget)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            widget.addAction(action)
            chosen[spec.name] = action
    return chosen
