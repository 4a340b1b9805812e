"""Authoring tools for trainers: lint, analysis reports, plans, graphs and the schema."""
