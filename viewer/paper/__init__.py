"""Topic sheets on paper: the page document, print jobs, pagination and PDF export.

QtGui only, no widgets, so the command line prints without a display.
"""
