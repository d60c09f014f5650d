"""The web app has no tables of its own; roles are Django auth groups (see roles.py)."""
