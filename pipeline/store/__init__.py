"""Feeding other systems: the SQLite store, batch processing into it, and export.

In the order the data flows: `discover` finds the files and hashes them; `work` turns one file
into its Document, report and the store's rows (`rows`); `workers` runs that in local worker
processes or on dask; `batch` settles each file into the store (`sqlite`, its tables and
migrations in `schema`). `history` and `export` read the store back.
"""
