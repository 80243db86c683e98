"""gunicorn's settings, read from the directory it starts in (`gunicorn everychild.wsgi`).

No request may run longer than 10 seconds (issue 21): a sync worker busy longer than `timeout`
is killed and its request answered with an error, so a slow page fails loudly instead of
holding a worker while others queue. Work that takes longer runs as a background job
(everychild.core.jobs). The Makefile and the load test pass the same value on the command
line, which wins over this file; tests/operations/test_request_timeout.py keeps them equal."""

timeout = 10
# A worker told to stop finishes the request in hand, within the same limit.
graceful_timeout = 10


def post_worker_init(worker):
    """Move everything the worker loaded at start (Django, the models, the settings) out of the
    garbage collector's reach: a full collection walked all of it every few requests, ~100 ms
    each at scale 5, which was most of a list page's p95 (issue 21). Objects made later are
    collected as usual."""
    import gc

    gc.collect()
    gc.freeze()
