"""Light or dark for the whole app: follow the system, or force one.

Qt 6.8+ can ask the platform for a colour scheme, but not every platform honours it (X11
without a desktop theme does not), so a forced scheme also sets a palette, on the Fusion
style, which draws any palette faithfully. Pages take their colours from the same palette.

Whether the system is dark comes from Qt's colour-scheme hint, except before the first paint,
which must not look up `Qt` (see lazy_qt): then the platform's palette tells, and the window
asks the hint once it is painted (`refresh_system_scheme`).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from viewer.pages.theme import palette as page_palette
from viewer.resources import read_text
from viewer.ui.lazy_qt import Qt

_applied = False  # apply() has run
_native_style: str | None = None  # the platform's style, kept when Fusion replaces it
_own_palette = False  # the app palette is one of ours (a forced theme, or dark on Fusion)
_system_dark: bool | None = None  # None: not known yet


def style(widget) -> None:
    """Give `widget` and its children the app's stylesheet (`ui.qss`: focus marks, padding).

    Set on the panes that need it (the window's central widget, dialogs with lists), not on the
    application: a stylesheet makes Qt draw every widget under it through its stylesheet style,
    and the menu bar, menus and status bar need none (it would only slow the first paint)."""
    global _sheet
    if _sheet is None:
        from viewer.resources import data_file

        check = data_file("check.svg").as_posix()
        _sheet = read_text("ui.qss").replace("$check", check)
    widget.setStyleSheet(_sheet)


_sheet: str | None = None


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """`a` moved `amount` (0 to 1) of the way towards `b`."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def widget_colours(name: str) -> dict[str, str]:
    """The widget palette of theme `name` as plain colours, by QPalette role name. Text and
    fields take the page's colours; the rest is chosen here, and tests/test_contrast.py holds
    every pair in `WIDGET_PAIRS` to WCAG AA."""
    colours = page_palette(name)
    dark = name == "dark"
    window = "#202327" if dark else "#f3f4f6"
    return {
        "Window": window,
        "WindowText": colours["text"],
        "Base": colours["background"],
        "AlternateBase": colours["header_bg"],
        "Text": colours["text"],
        "Button": window,
        "ButtonText": colours["text"],
        "ToolTipBase": colours["header_bg"],
        "ToolTipText": colours["text"],
        "PlaceholderText": colours["muted"],
        "Link": colours["link"],
        "Highlight": "#2f6fbf" if dark else "#2a6fc9",
        "HighlightedText": "#ffffff",
        # Field, check box and table borders: 3:1 against what they sit on.
        "Mid": colours["border"],
        "Dark": "#15171a" if dark else "#a0a6ad",
        "Light": "#3a3f45" if dark else "#ffffff",
        "Midlight": "#30353b" if dark else "#e4e7eb",
        "Shadow": "#000000",
        # The keyboard focus mark (ui.qss draws it in palette(link)): brighter than the
        # selection in the dark theme, where the selection blue is only just 3:1.
        "Focus": colours["link"],
        "QuietText": _mix_hex(colours["text"], colours["background"], QUIET_MIX),
    }


def _mix_hex(a: str, b: str, amount: float) -> str:
    from viewer.pages.contrast import parse_hex, to_hex

    return to_hex(tuple(x + (y - x) * amount for x, y in zip(parse_hex(a), parse_hex(b))))


# (foreground role, background role, minimum ratio): text 4.5:1, UI parts 3:1 (WCAG AA).
WIDGET_PAIRS: tuple[tuple[str, str, float], ...] = (
    ("WindowText", "Window", 4.5),
    ("Text", "Base", 4.5),
    ("Text", "AlternateBase", 4.5),
    ("ButtonText", "Button", 4.5),
    ("ToolTipText", "ToolTipBase", 4.5),
    ("PlaceholderText", "Base", 4.5),
    ("PlaceholderText", "Window", 4.5),  # the comparison's description line
    ("Link", "Base", 4.5),
    ("Link", "Window", 4.5),  # the comparison's source link
    ("HighlightedText", "Highlight", 4.5),
    ("Highlight", "Base", 3.0),  # a selected row against the rest
    ("Mid", "Base", 3.0),
    ("Mid", "Window", 3.0),
    ("Focus", "Base", 3.0),
    ("Focus", "Window", 3.0),
    ("QuietText", "Base", 4.5),
    ("QuietText", "AlternateBase", 4.5),
)

# How far the comparison quietens rows whose values are all the same: towards the background,
# but no further than AA allows on the alternate rows (checked as "QuietText").
QUIET_MIX = 0.3


def _palette(name: str) -> QPalette:
    pal = QPalette()
    role = QPalette.ColorRole
    for key, value in widget_colours(name).items():
        if key not in ("Focus", "QuietText"):  # ours, not QPalette roles
            pal.setColor(getattr(role, key), QColor(value))
    muted = QColor(page_palette(name)["muted"])
    for group_role in (role.Text, role.WindowText, role.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, group_role, muted)
    return pal


def apply(name: str, *, hint: bool = True) -> None:
    """Use `name` ("system", "light" or "dark") for widgets and pages.

    `hint=False` (start-up, before the first paint) leaves Qt's colour-scheme hint, which only
    tells the platform (window decorations), for `set_scheme_hint` after the paint: setting it
    looks up `Qt` (see lazy_qt).
    """
    global _applied, _native_style, _own_palette
    app = QApplication.instance()
    if app is None:
        return
    system_dark()  # read the platform's palette before a forced theme replaces it
    if hint and (_applied or name != "system"):  # the first "system" has nothing to undo
        set_scheme_hint(name)
    _applied = True
    changed = False
    if name in ("light", "dark") or effective(name) == "dark":
        if _native_style is None:
            _native_style = app.style().name()
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
            changed = True
        target = _palette(effective(name))
        if app.palette() != target:
            app.setPalette(target)
            changed = True
        _own_palette = True
    elif _own_palette:  # from a palette of ours back to the system's style and palette
        if _native_style is not None and app.style().name() != _native_style:
            app.setStyle(_native_style)
        app.setPalette(QPalette())  # an empty palette: the platform's, as at start-up
        _own_palette = False
        changed = True
    # Widgets under a stylesheet (`style`) keep the palette they were polished with: re-polish,
    # but only on a change (at start-up with "system" nothing changes, and re-polishing a window
    # restyles every one of its widgets and tree rows).
    if changed:
        for widget in QApplication.allWidgets():
            sheet = widget.styleSheet()
            if sheet:
                widget.setStyleSheet("")
                widget.setStyleSheet(sheet)


def set_scheme_hint(name: str) -> None:
    """Tell the platform the scheme in use ("system": its own again, then read it back)."""
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(
            {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(
                name, Qt.ColorScheme.Unknown
            )
        )
    if name == "system":
        refresh_system_scheme()


def effective(name: str) -> str:
    """ "light" or "dark": what pages should be drawn in right now."""
    if name in ("light", "dark"):
        return name
    return "dark" if system_dark() else "light"


def system_dark() -> bool:
    """Whether the system draws dark: as last read (`refresh_system_scheme`), or at start-up
    from the platform's palette, before any forced theme has replaced it."""
    global _system_dark
    if _system_dark is None:
        palette = QGuiApplication.palette()
        window, text = (
            palette.color(QPalette.ColorRole.Window),
            palette.color(QPalette.ColorRole.WindowText),
        )
        _system_dark = window.lightness() < text.lightness()
    return _system_dark


def forget_system_scheme() -> None:
    """Read whether the system is dark afresh when next asked, from the platform's palette, as
    at start-up (before the first paint)."""
    global _system_dark
    _system_dark = None


def refresh_system_scheme() -> bool:
    """Ask Qt's colour-scheme hint whether the system is dark; True if the answer changed.
    A platform that does not say (Unknown) leaves the answer as it was."""
    global _system_dark
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Unknown:
        return False
    before = system_dark()
    _system_dark = scheme == Qt.ColorScheme.Dark
    return _system_dark != before


class ThemeSwitcher:
    """The window's side of theming: the reader's choice, the system's changes, and the one
    check after the first paint. `changed` is called whenever pages must be drawn again."""

    def __init__(self, settings, changed, *, deferred: bool):
        self.settings = settings
        self.changed = changed
        self.deferred = deferred
        self._applying = False  # our own hint is no change of the system's
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)

    def _apply(self, name: str, apply_theme) -> None:
        self._applying = True
        try:
            apply_theme(name)
        finally:
            self._applying = False

    def choose(self, name: str) -> None:
        """View → Theme: "system", "light" or "dark"."""
        self.settings.set("view/theme", name)
        self._apply(name, apply)
        self.changed()

    def confirm(self) -> None:
        """After the first paint: a forced theme tells the platform now; with "system",
        start-up judged light or dark by the palette, and Qt's hint decides."""
        theme = self.settings.get("view/theme")
        if theme != "system":
            if self.deferred:  # not deferred: `apply` told the platform when the window was built
                self._apply(theme, set_scheme_hint)
        elif refresh_system_scheme():
            self._system_changed(None)

    def _system_changed(self, _scheme) -> None:
        """The desktop switched light/dark: follow it unless a theme is forced."""
        if self._applying or self.settings.get("view/theme") != "system":
            return
        self._apply("system", apply)
        self.changed()
