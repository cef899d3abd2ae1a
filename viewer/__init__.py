"""Cloudref: a desktop reference viewer for libraries of Markdown topics."""

__version__ = "0.1.0"
APP_NAME = "Cloudref"
APP_ID = "io.github.cloudref.Cloudref"
