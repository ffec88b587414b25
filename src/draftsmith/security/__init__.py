"""Who may do what: API keys and callers, draft ownership, signed download links.

See docs/security.md for the model as a whole.
"""
