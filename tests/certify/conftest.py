"""Certification-suite fixtures (defined in :mod:`tests.store.fixtures`)."""

from tests.store.fixtures import config_dir, pg_url, seal_key, store_url  # noqa: F401
