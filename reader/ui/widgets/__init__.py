"""Widgets: they show state and post messages; the screen decides."""
