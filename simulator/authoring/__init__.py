"""Authoring tools for trainers: lint, the audit, analysis reports, plans, graphs and the schema."""
