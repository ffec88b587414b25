"""BlobStore: the port for file bytes (media, draft folder files), and its adapters."""
