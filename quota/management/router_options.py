"""The --site and --router options the router commands share, and the routers they name."""

from django.core.management.base import CommandError

from routers.selectors import routers_selected


def router_options_add(parser) -> None:
    parser.add_argument("--site", help="only the routers of this site (code or name)")
    parser.add_argument("--router", help="only this router (name)")


def routers_named_by(*, site: str | None, router: str | None) -> list:
    """The enabled routers the options name (all without them); a name that matches nothing stops the
    command with a clear error."""
    try:
        return routers_selected(site=site, router=router)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
