"""Markdown to the HTML a page shows: rendering, links, pictures, the page cache and theme. No Qt widgets."""
