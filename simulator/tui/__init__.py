"""The calmline terminal UI (Textual). Open it with :func:`simulator.tui.app.create_app`."""
