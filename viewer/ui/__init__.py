"""Qt widgets and models. Everything below here may import Qt; nothing above it does."""
