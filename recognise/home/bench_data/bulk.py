"""Inserting many rows at once with the dates they were generated with."""

import gc
from collections import Counter
from contextlib import contextmanager

BATCH_SIZE = 2000


class Inserted(Counter):
    """Rows inserted per model, for the command's report."""

    def insert(self, model, objects):
        """bulk_create in batches; returns the objects with their primary keys set."""
        created = model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        self[model._meta.label] += len(created)
        return created


@contextmanager
def historical_dates(*fields):
    """Let rows keep the past dates they were given.

    auto_now and auto_now_add would stamp every generated row with the moment of the
    run, and the dashboards being measured group and filter by these dates.
    """
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


@contextmanager
def collector_paused():
    """Stop the cyclic garbage collector for a while.

    Building millions of row objects makes it run over and over, for a fifth of the
    run's time; the rows hold no reference cycles, so they are freed all the same.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
