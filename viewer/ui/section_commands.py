"""Sections on screen: the outline pane, going to a section, the reading place, printing one.

The window builds this after its first paint (with the search panel) and connects its
actions here: Go to Section (Ctrl+Shift+O), Print Section (Ctrl+Alt+P, also in the page's
and the outline's context menus) and Bookmark This Section (Ctrl+Alt+D). The sections
themselves are the page's headings (`sections.PageSections`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt

from viewer.paper.marks import DocHeading
from viewer.ui.outline import OutlinePane
from viewer.ui.sections import PageSections

TYPE_CHECKING = False
if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class SectionCommands(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.sections = PageSections(window.page)
        self.outline = OutlinePane(self.sections)
        window.left_panel.add_outline(self.outline)
        actions = window.actions_by_name
        section_actions = [actions["print_section"], actions["bookmark_section"]]
        self.outline.list.addActions(section_actions)
        window.page.context_actions = section_actions
        self.outline.jump_requested.connect(self.jump)
        self.outline.dismissed.connect(
            lambda: window.page.setFocus(Qt.FocusReason.ShortcutFocusReason)
        )
        self.sections.current_changed.connect(lambda _heading: self.update_bookmark_action())
        window.topic_shown.connect(lambda _id: self.update_bookmark_action())
        window.session.bookmarks_changed.connect(self.update_bookmark_action)

    # -- which section -----------------------------------------------------------------------
    def chosen(self) -> DocHeading | None:
        """The section a command is about: the one chosen in the outline while it has focus,
        else the one where the page's context menu was opened, else the one at the top."""
        if self.outline.has_focus():
            return self.outline.current_heading()
        position = self.window.page.context_position
        if position is not None:
            return self.sections.containing(position)
        return self.sections.at_top()

    # -- going there -----------------------------------------------------------------------
    def go_to_section(self) -> None:
        """Ctrl+Shift+O: the outline's filter, with the tree pane shown if it was hidden."""
        window = self.window
        if not window.left_panel.isVisible():
            window.actions_by_name["toggle_tree"].setChecked(True)
        window.tabs.setCurrentWidget(window.page_container)
        self.outline.activate()

    def jump(self, heading: DocHeading) -> None:
        """Show `heading` at the top of the page (a place in the history) and read there."""
        window = self.window
        if heading.anchor and window.current is not None:
            window.open_topic(window.current.id, heading.anchor)
        self.sections.scroll_to(heading)  # exactly at the heading, anchor or not
        window.tabs.setCurrentWidget(window.page_container)
        window.page.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_section(self, topic_id: str, anchor: str = "", title: str = "") -> bool:
        """Open a topic at a section, found by its anchor, else by its heading's text (at its
        top if neither is found). Returns whether the topic opened."""
        window = self.window
        if not window.open_topic(topic_id):
            return False
        if anchor or title:
            window.loader.finish_now()
            heading = self.sections.by_anchor(anchor) or (title and self.sections.by_title(title))
            if heading:
                self.jump(heading)
        return True

    def open_search_result(self, result) -> None:
        """A search hit: its topic, at its section, with the query's words highlighted."""
        from viewer.ui.search_panel import reveal_match

        window = self.window
        if self.open_section(result.topic_id, result.anchor, result.section):
            window.tabs.setCurrentWidget(window.page_container)
            if result.kind == "text":
                window.loader.finish_now()
                section = self.sections.at_top() if result.section else None
                reveal_match(window.page, list(result.terms), section.position if section else 0)
            window.page.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- the reading place -----------------------------------------------------------------
    def reading_place(self) -> tuple[str, int]:
        """(anchor of the section at the top, pixels the view starts below its heading), or
        ("", scroll) above the first section."""
        scroll = self.window.page.scroll_position()
        heading = self.sections.at_top()
        if heading is None or not heading.anchor or heading.level == 1:
            return "", scroll
        return heading.anchor, scroll - self.sections.top_of(heading)

    def restore_place(self, anchor: str, offset: int) -> None:
        """Scroll to a remembered place: after the first paint if the window is not shown yet
        (the page is laid out again at the window's width when it is)."""
        page = self.window.page
        if not page.isVisible():

            def once() -> None:
                page.painted.disconnect(once)
                self.restore_place(anchor, offset)

            page.painted.connect(once)
            return
        heading = self.sections.by_anchor(anchor)
        if anchor and heading is None:
            return  # the section is gone (the file changed): the top of the page it is
        self.window.loader.finish_now()
        if heading is None:
            self.window.page.scroll_to(scroll=offset)
        else:
            self.sections.scroll_to(heading, offset)
        self.window.session.history.remember_scroll(self.window.page.scroll_position())

    # -- printing and bookmarking ----------------------------------------------------------
    def print_section(self) -> bool:
        window = self.window
        window.loader.finish_now()
        heading = self.chosen()
        if heading is None or not heading.anchor or heading.level == 1:
            if window.current is None:
                return False
            # Above the first section (or the title chosen): the whole topic is the section.
            window.actions_by_name["print"].trigger()
            return True
        from viewer.ui import print_dialog

        return print_dialog.print_section(
            window, window.library, window.current, heading.anchor, window.settings
        )

    def toggle_bookmark(self) -> None:
        """Ctrl+Alt+D: bookmark the section at the top (above the first: the topic)."""
        window = self.window
        current = window.current
        if current is None:
            return
        heading = self.chosen()
        if heading is None or not heading.anchor or heading.level == 1:
            window.bookmarks.toggle_current()
            return
        added, problem = window.session.toggle_bookmark(current.id, heading.anchor, heading.title)
        verb = "Bookmarked" if added else "Bookmark removed"
        place = f"{current.title} › {heading.title}"
        if problem:
            window.statusBar().showMessage(f"{verb} until you quit — {problem}", 10000)
        else:
            window.statusBar().showMessage(f"{verb}: {place}", 3000)
        self.update_bookmark_action()

    def update_bookmark_action(self) -> None:
        window, heading = self.window, self.sections.current
        current = window.current
        key = f"{current.id}#{heading.anchor}" if current and heading and heading.anchor else ""
        window.actions_by_name["bookmark_section"].setChecked(
            bool(key) and window.session.bookmarks.get(key) is not None
        )
