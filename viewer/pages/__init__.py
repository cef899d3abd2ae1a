"""Markdown to the HTML a page shows: rendering, links, pictures, the page cache, the theme.

No Qt widgets.
"""
