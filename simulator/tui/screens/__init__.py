"""The screens of the calmline terminal UI; each module holds one screen."""
