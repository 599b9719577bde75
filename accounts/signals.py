"""Signals other apps listen to, so accounts stays at the bottom of the import graph.

`access_changed` fires after commit whenever something that decides a user's access (approval, block,
devices, quota) changed; the router layer converges that user in response.
"""

from django.db import transaction
from django.dispatch import Signal

access_changed = Signal()  # kwargs: user_id


def announce_access_changed(user_id: int) -> None:
    transaction.on_commit(lambda: access_changed.send(sender=None, user_id=user_id))
