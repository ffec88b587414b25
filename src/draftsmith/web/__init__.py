"""The HTTP edge: create_app, routes, schemas and the error table."""
