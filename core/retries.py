"""Background work that fails for a passing reason (a mail server that is down, a storage
hiccup) is tried again later, with growing waits, instead of being lost."""

import datetime
import logging

from django.utils import timezone

logger = logging.getLogger(__name__)

# Waits before the second, third, fourth and fifth tries.
RETRY_DELAYS = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
)


def retry_later(task, *args, attempt, error):
    """Queue the task again after the next wait; False once the tries are used up or the
    backend runs tasks at once (development), where the failure is only logged."""
    name = task.name
    if attempt > len(RETRY_DELAYS):
        logger.error("%s%r failed %d times and was given up: %s", name, args, attempt, error)
        return False
    if not task.get_backend().supports_defer:
        logger.error("%s%r failed and cannot be retried here: %s", name, args, error)
        return False
    run_after = timezone.now() + RETRY_DELAYS[attempt - 1]
    task.using(run_after=run_after).enqueue(*args, attempt=attempt + 1)
    logger.warning(
        "%s%r failed (try %d), retrying at %s: %s", name, args, attempt, run_after, error
    )
    return True
