"""Preferences and window state, with every default declared once.

Backed by QSettings in INI format. A corrupt or unwritable file never stops the app: values
that cannot be read fall back to their defaults and `problem()` says what happened, for the
status bar.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings

DEFAULTS: dict[str, Any] = {
    "page/zoom": 0,  # steps of 1 pt from the default font size
    "view/theme": "system",  # "system", "light" or "dark"
    "view/treeVisible": True,
    # Quiet time after a file in the library changes before it is reloaded: an editor's save
    # is several events (write, rename, chmod), reported once.
    "reload/delayMs": 200,
    "window/geometry": QByteArray(),
    "window/state": QByteArray(),
    "window/splitter": QByteArray(),
    "print/pageSize": "",  # empty: the locale's default (A4 or Letter)
    "print/landscape": False,
    "print/marginsMm": [18.0, 16.0, 18.0, 16.0],  # left, top, right, bottom
    "print/lastFolder": "",  # where the last PDF was exported; empty: the user's documents
}


class Settings:
    def __init__(self, qsettings: QSettings | None = None):
        self._q = qsettings or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Cloudref", "cloudref"
        )
        self._problem = self._status_message()

    def _status_message(self) -> str:
        status = self._q.status()
        if status == QSettings.Status.FormatError:
            return f"Settings file is damaged and was ignored: {self._q.fileName()}"
        if status == QSettings.Status.AccessError:
            return f"Settings cannot be saved: {self._q.fileName()}"
        if self._looks_damaged():
            return (
                "Settings file is damaged; defaults are used where it cannot be read: "
                f"{self._q.fileName()}"
            )
        return ""

    def _looks_damaged(self) -> bool:
        """QSettings reads almost any bytes as INI without complaint; binary junk means damage."""
        try:
            with open(self._q.fileName(), "rb") as handle:
                data = handle.read(1 << 20)
        except OSError:
            return False
        if b"\x00" in data:
            return True
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False

    def problem(self) -> str:
        return self._problem

    def file_name(self) -> str:
        return self._q.fileName()

    def get(self, key: str, default: Any = None) -> Any:
        fallback = DEFAULTS.get(key, default)
        try:
            value = self._q.value(key, fallback)
        except Exception:
            return fallback
        if value is None:
            return fallback
        if isinstance(fallback, bool):
            return value in (True, "true", "1", 1) if not isinstance(value, bool) else value
        if isinstance(fallback, int) and not isinstance(fallback, bool):
            try:
                return int(value)
            except (TypeError, ValueError):
                return fallback
        if isinstance(fallback, QByteArray) and not isinstance(value, QByteArray):
            return fallback
        if isinstance(fallback, list) and not isinstance(value, list):
            return fallback
        if isinstance(fallback, str) and not isinstance(value, str):
            return fallback
        return value

    def set(self, key: str, value: Any) -> None:
        self._q.setValue(key, value)

    def get_json(self, key: str, default: Any) -> Any:
        """Structured values (bookmarks, comparison choices) stored as JSON text."""
        raw = self._q.value(key, "")
        if not isinstance(raw, str) or not raw:
            return default
        try:
            import json  # here: a start with no bookmarks need not load it

            value = json.loads(raw)
        except ValueError:
            return default
        return value if isinstance(value, type(default)) else default

    def set_json(self, key: str, value: Any) -> None:
        import json

        self._q.setValue(key, json.dumps(value))

    def update_json(self, key: str, change, default: Any) -> tuple[Any, str]:
        """Read `key` as saved now (another window may have written it), store `change(value)`
        and write it out. Returns the new value and a message if it could not be saved."""
        self._q.sync()  # picks up what other windows and processes saved meanwhile
        value = change(self.get_json(key, default))
        self.set_json(key, value)
        return value, self.sync()

    def sync(self) -> str:
        """Write to disk; returns a message if that failed."""
        self._q.sync()
        message = self._status_message()
        if message:
            self._problem = message
        return message
