"""Background tasks (django-q2). Thin: each calls one service."""


def router_reconcile() -> str:
    """The `router-reconcile` schedule: converge every enabled router; returns the summary lines."""
    from quota.router_state import full_reconcile  # the domain builds the desired state

    return "\n".join(result.summary() for result in full_reconcile())
