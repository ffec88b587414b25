"""The desktop editors' side: their drafts folders, and installing drafts into them."""
