"""import_draft: a draft folder (a zip) read into a new draft, nothing of it lost.

`archive` reads the zip within bounds, `timeline` finds and checks the timeline file,
`parse` turns it into the model, `attach` keeps the rest as opaque parts
(draftsmith.capcut.opaque) and `folder` does the whole import given a way to ingest media.
"""
