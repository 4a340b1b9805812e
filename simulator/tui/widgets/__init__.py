"""The widgets of the calmline terminal UI; each module holds one widget."""
