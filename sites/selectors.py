"""Reads on sites."""

from sites.models import Site


def sites_for_hotspot(*, ip: str, login_host: str | None) -> list[Site]:
    """The sites whose hotspot may have sent this redirect: the client IP is in their subnets and, when the
    redirect names its login host, the host is theirs. Subnets may overlap between sites; the login host
    (or, failing that, the routers asked about the device) tells them apart."""
    Site.objects.default()
    candidates = [site for site in Site.objects.order_by("pk") if site.serves_ip(ip)]
    if login_host:
        candidates = [site for site in candidates if login_host.lower() in site.login_host_names]
    return candidates


def site_named(text: str) -> Site | None:
    """A site by its code (case-insensitive) or its exact name, for commands."""
    return Site.objects.filter(code__iexact=text).first() or Site.objects.filter(name=text).first()
