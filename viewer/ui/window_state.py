"""What the window looks like between runs: size and place, splitter, zoom, theme, tree.

Preferences live in `Settings` with their defaults; this module only moves them between the
settings and the window's widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


def restore(window: MainWindow, *, hint: bool) -> None:
    """Give `window` its remembered state. `hint=False` leaves the platform's colour-scheme
    hint for after the first paint (see `themes.apply`)."""
    from viewer.ui import themes

    settings, actions = window.settings, window.actions_by_name
    geometry = settings.get("window/geometry")
    if not geometry.isEmpty():
        window.restoreGeometry(geometry)
    else:
        window.resize(1200, 800)
    splitter = settings.get("window/splitter")
    if not splitter.isEmpty():
        window.splitter.restoreState(splitter)
    window.page.set_zoom(settings.get("page/zoom"))
    theme = settings.get("view/theme")
    actions.get(f"theme_{theme}", actions["theme_system"]).setChecked(True)
    themes.apply(theme, hint=hint)
    visible = settings.get("view/treeVisible")
    actions["toggle_tree"].setChecked(visible)
    window.left_panel.setVisible(visible)


def save(window: MainWindow) -> str:
    """Write the window's state and the session's place; returns a message if that failed."""
    settings = window.settings
    settings.set("window/geometry", window.saveGeometry())
    settings.set("window/splitter", window.splitter.saveState())
    settings.set("page/zoom", window.page.zoom_steps)
    settings.set("view/treeVisible", window.actions_by_name["toggle_tree"].isChecked())
    place = window.sections.reading_place() if window.current is not None else ("", 0)
    window.session.remember_topic(window.current, *place)
    return settings.sync()
