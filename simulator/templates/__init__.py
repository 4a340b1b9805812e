"""Starter files that ``calmline new`` copies: a commented scenario that plays as written."""
