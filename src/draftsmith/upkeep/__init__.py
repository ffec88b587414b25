"""Keeping a deployment running: readiness of each dependency, garbage collection of files no
longer referenced, and backups of the embedded store."""
