"""The event-sourced core of Loket: nothing here imports ``plugins`` or ``web``."""
