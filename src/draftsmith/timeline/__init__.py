"""The pure domain: drafts, tracks, segments and their rules. Standard library only."""
