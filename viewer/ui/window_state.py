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
    geometry = settings.get(geometry_key(window), settings.get("window/geometry"))
    if not geometry.isEmpty():
        window.restoreGeometry(geometry)
    else:
        window.resize(1200, 800)
    fit_to_screen(window)
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
    settings.set(geometry_key(window), window.saveGeometry())
    settings.set("window/splitter", window.splitter.saveState())
    settings.set("page/zoom", window.page.zoom_steps)
    settings.set("view/treeVisible", window.actions_by_name["toggle_tree"].isChecked())
    # Closed before the deferred part was built (the section commands among it): the place is
    # the scroll from the top; building the whole rest only to close would hold the quit.
    sections = window.built_sections
    if window.current is None:
        place = ("", 0)
    elif sections is None:
        place = ("", window.page.scroll_position())
    else:
        place = sections.reading_place()
    window.session.remember_topic(window.current, *place)
    return settings.sync()


def scale_key(device_pixel_ratio: float, logical_dpi: float) -> str:
    """The settings key of the geometry saved at this screen scale: a window sized on a 2x
    screen and restored on a 1x one (or the reverse) would come back at the wrong size."""
    return f"window/geometry-{device_pixel_ratio:g}x-{round(logical_dpi)}dpi".replace(".", "_")


def geometry_key(window) -> str:
    screen = window.screen()
    if screen is None:
        return "window/geometry"
    return scale_key(screen.devicePixelRatio(), screen.logicalDotsPerInch())


def clamp(
    rect: tuple[int, int, int, int], available: tuple[int, int, int, int]
) -> tuple[int, int, int, int]:
    """`rect` (x, y, width, height) no larger than `available` and moved inside it."""
    x, y, width, height = rect
    ax, ay, aw, ah = available
    width, height = min(width, aw), min(height, ah)
    x = min(max(x, ax), ax + aw - width)
    y = min(max(y, ay), ay + ah - height)
    return x, y, width, height


def fit_to_screen(window) -> None:
    """Keep the whole window on the screen it opens on (a screen since made smaller, or gone)."""
    from PySide6.QtGui import QGuiApplication

    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    frame, inner = window.frameGeometry(), window.geometry()
    extra_w, extra_h = frame.width() - inner.width(), frame.height() - inner.height()
    x, y, width, height = clamp(
        (frame.x(), frame.y(), frame.width(), frame.height()),
        (area.x(), area.y(), area.width(), area.height()),
    )
    if (width, height) != (frame.width(), frame.height()):
        window.resize(width - extra_w, height - extra_h)
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)
