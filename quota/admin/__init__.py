"""Quota in the admin: the ledger and Komandan requests, the resident (user) admin with its confirmed
actions, and the routers with their converge and check actions (the domain builds the desired state)."""

from quota.admin import debt_list, hygiene, ledger, routers, users  # noqa: F401 - each registers its admins
