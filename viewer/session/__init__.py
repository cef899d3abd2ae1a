"""The open library as the window sees it: history, bookmarks and the session state."""
