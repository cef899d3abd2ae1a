"""Study mode: cards from the library's own facts, an FSRS schedule and the review log.

No Qt widgets here: `cards` reads cards from topics and comparison tables, `schedule` wraps the
`fsrs` package, `store` keeps the review log in SQLite, `anki` writes an Anki package. The
review pane is `viewer.ui.study_view`.
"""
