"""Reading a library from disk: the folder, front matter, the user's cache folder, problems."""
