"""Celery tasks, one per job: reading one exhibit, and the sweep that re-queues the stuck ones."""

from typing import Any

from celery import Task, shared_task

from reading import reader, sweep

SOFT_LIMIT, HARD_LIMIT = reader.time_limits()


class ReadingTask(Task):
    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        """Failed for good (tries used up, or an unexpected error): the exhibit is FAILED, never left PENDING."""
        evidence_id = args[0] if args else kwargs.get("evidence_id")
        if evidence_id:
            reader.give_up(evidence_id)


@shared_task(
    name="reading.read_evidence",
    base=ReadingTask,
    autoretry_for=reader.TRANSIENT,
    max_retries=3,
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    soft_time_limit=SOFT_LIMIT,
    time_limit=HARD_LIMIT,
)
def read_evidence(evidence_id: str) -> str:
    """Read one exhibit's words (queued when it is stored, and by the sweep)."""
    return reader.read_evidence(evidence_id)


@shared_task(name="reading.sweep_pending")
def sweep_pending() -> dict[str, int]:
    """Queue again the exhibits stuck in PENDING (beat runs this every SWEEP_INTERVAL_SECONDS)."""
    return sweep.requeue_stuck().as_dict()
