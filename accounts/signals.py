"""Signals other apps listen to, so accounts stays at the bottom of the import graph.

`access_changed` fires after commit whenever something that decides a user's access (approval, block,
devices, quota) changed; the router layer converges that user in response.
"""

from django.db import transaction
from django.dispatch import Signal

access_changed = Signal()  # kwargs: user_id


def announce_access_changed(user_id: int) -> None:
    """After commit, once per user and transaction: a service that changes several things of one user
    (devices, quota, the active flag) leads to one converge."""
    connection = transaction.get_connection()
    current = set(connection.savepoint_ids)  # the atomic blocks we are in; a pending announcement of
    for savepoints, callback, *_rest in connection.run_on_commit:  # this one has all of them
        if getattr(callback, "access_changed_user_id", None) == user_id and current <= set(savepoints):
            return

    def announce():
        announce.access_changed_user_id = None  # sent: a later change announces again
        access_changed.send(sender=None, user_id=user_id)

    announce.access_changed_user_id = user_id
    transaction.on_commit(announce)
