"""The HTTP service over the store: `yakkan serve` (FastAPI under uvicorn, extra `yakkan[serve]`).

- `reader` the read path: a read-only SQLite connection per request over the store's own query
  functions, caches keyed by document id (a stored document never changes), and the choice of
  the version in force for a family;
- `upload` the write path behind `--allow-upload`: bearer token, size and type checks, parsing
  in a process pool with a timeout, storing like `batch`;
- `app` the FastAPI application: its routes and error handlers;
- `http` ETags, JSON bodies as the schemas publish them, JSON errors with stable codes;
- `openapi` the OpenAPI document, its schemas exactly the committed ones;
- `server` settings and the uvicorn launcher.

Nothing here is imported by the rest of the pipeline, so fastapi and uvicorn stay optional.
"""
