"""DraftStore: the port for draft state and versions, and its adapters."""
