"""Saved cases: JSON case files today; revisions and a database come later."""
