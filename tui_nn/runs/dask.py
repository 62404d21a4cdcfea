"""A sweep's points on a Dask cluster: the same submit / as-completed seam as the local process pool."""

from __future__ import annotations

from .point import WORKER_THREADS, train_point


class DaskUnavailable(ValueError):
    """No scheduler given, Dask not installed, or the scheduler cannot be reached: one line for the user."""


def dask_submit(scheduler: str | None, preset_key: str, progress):
    """``submit(point)`` and ``completed(futures)`` on a Dask cluster: a point's spec goes out, its
    record comes back. A point whose worker dies is run again elsewhere (Dask's retries); the
    records' worker ids tell how many points needed it."""
    if not scheduler:
        raise DaskUnavailable("--executor dask needs --scheduler ADDRESS (from `dask scheduler`)")
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise DaskUnavailable("--executor dask needs Dask: pip install \"tui-nn[dask]\"") from None
    try:
        client = Client(scheduler, timeout="5s")
    except Exception as error:  # distributed raises OSError, TimeoutError or ValueError (a bad address)
        raise DaskUnavailable(f"--scheduler {scheduler}: cannot connect ({error})") from None

    def submit(point):
        # Workers use their own home (the data is bundled or in their own data root).
        return client.submit(train_point, point.raw, preset_key, None, WORKER_THREADS,
                             key=f"tui-nn-{point.id}-{point.seed}", retries=2, pure=False)

    def completed(futures):
        for future in as_completed(futures):
            if future.status == "finished":
                progress.reruns += _retried(client, future.key)
            yield future

    return submit, completed


def _retried(client, key) -> int:
    """1 when the scheduler ran this task more than once (its worker died), else 0."""
    try:
        story = client.story(key)
    except Exception:  # the story is a report, not something the sweep depends on
        return 0
    starts = [entry for entry in story if len(entry) > 2 and entry[2] == "processing"]
    return 1 if len(starts) > 1 else 0
