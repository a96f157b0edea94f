"""Named versions for things kept in the cache.

Something computed from rows that change (a dashboard's counts, say) is kept under the
versions of what it was computed from; whatever changes those rows starts a new version,
and the kept copy is never read again. A version is replaced at once and again when the
transaction commits, so a copy made from the old rows in between is not kept for long.
"""

import uuid

from django.core.cache import cache
from django.db import transaction


def version_key(name):
    return f"version:{name}"


def changed(name):
    def new_version():
        cache.set(version_key(name), uuid.uuid4().hex, timeout=None)

    new_version()
    transaction.on_commit(new_version)


def changed_many(names):
    """changed() for many names, in one cache round trip each time."""

    def new_versions():
        cache.set_many({version_key(name): uuid.uuid4().hex for name in names}, timeout=None)

    new_versions()
    transaction.on_commit(new_versions)


def current(*names):
    """The current version of each name, in one cache read when all exist."""
    found = cache.get_many([version_key(name) for name in names])
    versions = []
    for name in names:
        version = found.get(version_key(name))
        if version is None:
            cache.add(version_key(name), uuid.uuid4().hex, timeout=None)
            version = cache.get(version_key(name))
        versions.append(version)
    return versions


def kept(key, names, compute, timeout):
    """compute() kept under key until one of the named versions changes.

    The versions are stored with the value, so a read is one cache round trip. They
    are read before computing: a value computed from rows that a transaction is about
    to change carries a version that its commit replaces, and is never read again.
    """
    version_keys = [version_key(name) for name in names]
    found = cache.get_many([*version_keys, key])
    versions = [found.get(version) for version in version_keys]
    entry = found.get(key)
    if entry is not None and None not in versions and entry[0] == versions:
        return entry[1]
    versions = current(*names)
    value = compute()
    cache.set(key, (versions, value), timeout)
    return value
