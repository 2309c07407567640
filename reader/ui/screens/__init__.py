"""Screens: compose widgets, own the workers, handle the widgets' messages."""
