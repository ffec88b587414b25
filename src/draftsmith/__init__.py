"""draftsmith: durable, versioned CapCut/Jianying drafts over HTTP."""

__version__ = "0.1.0"
