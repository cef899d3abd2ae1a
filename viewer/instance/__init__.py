"""One window per library: a second launch hands its arguments to the window already open.

`protocol` names the local socket of a library and reads and writes the messages (no Qt);
`client` is the second launch's side (before any window is built); `server` is the running
window's side (QtNetwork's `QLocalServer`).
"""
