"""Media: safe fetching, probing and content-addressed storage."""
