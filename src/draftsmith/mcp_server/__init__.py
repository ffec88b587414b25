"""draftsmith over the Model Context Protocol: tools and resources for AI agents.

`draftsmith mcp` serves it over stdio (mcp_server.stdio); the HTTP server serves it at `/mcp`
(mcp_server.http). Both drive the same `Drafts` service as the HTTP API. Named `mcp_server`
so that it never shadows the `mcp` SDK it is built on.
"""
