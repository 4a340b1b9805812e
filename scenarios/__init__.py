"""The scenario library shipped with calmline (YAML files; see README.md here)."""
