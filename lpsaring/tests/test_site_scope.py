"""Staff limited to a site: an ADMIN of site A never sees or changes anything of site B, on any admin page
(lists, search, object pages, object and bulk actions, the CSV export, the dashboard), and form choices of
site B are refused. A SUPER_ADMIN sees both."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import AuditEntry, Block, Device, Room, TampingType, User
from accounts.services import user_block
from billing.models import Package, Transaction
from core.units import GIB
from quota.komandan import quota_request_create
from quota.models import DailyUsage, QuotaBalance, QuotaEntry, QuotaRequest
from routers.models import Router
from sites.models import Site

pytestmark = pytest.mark.django_db

# Text that only site B's data carries: none of it may reach a site-A admin's pages.
B_MARKERS = (
    "Beta Residen",
    "+6281355550002",
    "Komandan Beta",
    "AC:DE:48:BB:00:01",
    "ORDER-BETA",
    "BLOKB",
    "KAMAR-B",
    "Tamping Beta",
    "router-beta",
    "Lokasi Beta",
)


def _site(name, code):
    return Site.objects.create(name=name, code=code, time_zone="Asia/Makassar", client_cidrs="10.0.0.0/8")


def _resident(make_user, room, name, phone, **fields):
    return make_user(full_name=name, phone=phone, room=room, block=room.block, quota_bytes=GIB, **fields)


@pytest.fixture
def two_sites(make_user, staff, closed_port):
    """Sites A and B, each with a block, room, tamping type, router, residents with a device, quota,
    usage, a transaction, a Komandan request and audit entries; an ADMIN limited to site A."""
    site_a, site_b = _site("Lokasi Alfa", "ALFA"), _site("Lokasi Beta", "BETA")
    package = Package.objects.create(name="Paket Uji", price=25000, quota_bytes=10 * GIB)
    world = {"A": {}, "B": {}}
    for key, site, suffix in (("A", site_a, "A"), ("B", site_b, "B")):
        block = Block.objects.create(site=site, name=f"BLOK{suffix}")
        room = Room.objects.create(block=block, name=f"KAMAR-{suffix}")
        tamping = TampingType.objects.create(site=site, name="Tamping Alfa" if key == "A" else "Tamping Beta")
        router = Router.objects.create(
            site=site,
            name="router-alfa" if key == "A" else "router-beta",
            host="127.0.0.1",
            port=closed_port,
            username="api",
        )
        name = "Alfa Residen" if key == "A" else "Beta Residen"
        resident = _resident(make_user, room, name, "+628135555000" + ("1" if key == "A" else "2"))
        komandan = _resident(
            make_user,
            room,
            "Komandan Alfa" if key == "A" else "Komandan Beta",
            "+628135555100" + ("1" if key == "A" else "2"),
            role=User.Role.KOMANDAN,
        )
        device = Device.objects.create(user=resident, mac=f"AC:DE:48:{'AA' if key == 'A' else 'BB'}:00:01")
        DailyUsage.objects.create(user=resident, date=timezone.localdate(), bytes=GIB)
        tx = Transaction.objects.create(
            order_id=f"ORDER-{'ALFA' if key == 'A' else 'BETA'}",
            user=resident,
            package=package,
            amount=25000,
            status=Transaction.Status.PAID,
            paid_at=timezone.now(),
            expires_at=timezone.now() + timedelta(1),
        )
        request = quota_request_create(
            requester=komandan, kind="QUOTA", requested_bytes=GIB, requested_days=3
        )
        user_block(user=komandan, actor=staff, reason="uji")
        world[key] = {
            "site": site,
            "block": block,
            "room": room,
            "tamping": tamping,
            "router": router,
            "resident": resident,
            "komandan": komandan,
            "device": device,
            "transaction": tx,
            "request": request,
        }
    admin_a = make_user(role=User.Role.ADMIN, password="a-Long-pass-123", full_name="Petugas Alfa")
    admin_a.staff_sites.set([site_a])
    world["admin_a"] = admin_a
    return world


@pytest.fixture
def admin_a_client(two_sites):
    client = Client()  # its own, beside the super admin's `staff_client`
    client.force_login(two_sites["admin_a"])
    return client


def _objects_of(model, world) -> list:
    """The site-B rows of `model` (every registered model with rows about site B)."""
    b = world["B"]
    by_model = {
        User: [b["resident"], b["komandan"]],
        Block: [b["block"]],
        Room: [b["room"]],
        TampingType: [b["tamping"]],
        Device: [b["device"]],
        Router: [b["router"]],
        Site: [b["site"]],
        Transaction: [b["transaction"]],
        QuotaRequest: [b["request"]],
        QuotaEntry: list(QuotaEntry.objects.filter(user__in=[b["resident"], b["komandan"]])),
        QuotaBalance: list(QuotaBalance.objects.filter(user__in=[b["resident"], b["komandan"]])),
        DailyUsage: list(DailyUsage.objects.filter(user=b["resident"])),
        AuditEntry: list(AuditEntry.objects.filter(target_user__in=[b["resident"], b["komandan"]])),
    }
    return by_model.get(model, [])


def _assert_nothing_of_b(response, where, searched=""):
    """No site-B text in the page (but the search box echoes what was searched)."""
    text = response.content.decode() if hasattr(response, "content") else b"".join(response).decode()
    leaked = [marker for marker in B_MARKERS if marker in text and marker not in searched]
    assert not leaked, f"{where} shows site B: {leaked}"


def _url(model, name, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


def test_every_admin_page_shows_a_site_a_admin_nothing_of_site_b(admin_a_client, two_sites):
    seen_lists = 0
    for model in admin.site._registry:
        label = model._meta.label
        changelist = admin_a_client.get(_url(model, "changelist"))
        assert changelist.status_code in (200, 403), label
        if changelist.status_code == 200:
            seen_lists += 1
            _assert_nothing_of_b(changelist, f"{label} list")
            for query in ("Beta", "+6281355550002", "BLOKB", "ORDER-BETA", "AC:DE:48:BB"):
                found = admin_a_client.get(_url(model, "changelist"), {"q": query})
                _assert_nothing_of_b(found, f"{label} search", searched=query)
            # Every filter a list offers, and the site filter pointed at site B.
            _assert_nothing_of_b(
                admin_a_client.get(_url(model, "changelist"), {"site": two_sites["B"]["site"].pk}), label
            )
        for obj in _objects_of(model, two_sites):
            for page in ("change", "history", "delete"):
                response = admin_a_client.get(_url(model, page, obj.pk))
                assert response.status_code in (302, 403, 404), f"{label} {page} {obj.pk}"
                if response.status_code == 302:
                    _assert_nothing_of_b(admin_a_client.get(response["Location"]), f"{label} {page}")
            try:
                do = _url(model, "do", obj.pk, "approve")
            except NoReverseMatch:
                continue
            assert admin_a_client.get(do).status_code in (403, 404), f"{label} object action"
    assert seen_lists >= 12  # the admin's own lists, not only refusals


def test_the_site_a_admin_sees_site_a(admin_a_client, two_sites):
    a = two_sites["A"]
    residents = admin_a_client.get(_url(User, "changelist")).content.decode()
    assert "Alfa Residen" in residents and "Komandan Alfa" in residents
    page = admin_a_client.get(_url(User, "change", a["resident"].pk))
    assert page.status_code == 200 and "Alfa Residen" in page.content.decode()
    assert "ORDER-ALFA" in admin_a_client.get(_url(Transaction, "changelist")).content.decode()


def test_a_super_admin_sees_both_sites_and_can_filter_by_site(staff_client, two_sites):
    text = staff_client.get(_url(User, "changelist")).content.decode()
    assert "Alfa Residen" in text and "Beta Residen" in text
    only_b = staff_client.get(_url(User, "changelist"), {"site": two_sites["B"]["site"].pk}).content.decode()
    assert "Beta Residen" in only_b and "Alfa Residen" not in only_b
    sites = staff_client.get(_url(Site, "changelist")).content.decode()
    assert "Lokasi Alfa" in sites and "Lokasi Beta" in sites


def test_bulk_actions_on_site_b_rows_change_nothing(admin_a_client, two_sites):
    b = two_sites["B"]
    for action in ("block", "approve", "inject"):
        response = admin_a_client.post(
            _url(User, "changelist"),
            {
                "action": action,
                "_selected_action": [b["resident"].pk],
                "token": "t",
                "_lps_step": "apply",
                "reason": "uji",
                "amount": "1",
                "unit": "GB",
                "days": "3",
            },
        )
        _assert_nothing_of_b(response, f"bulk {action}")
    b["resident"].refresh_from_db()
    assert not b["resident"].is_blocked
    assert QuotaBalance.objects.get(user=b["resident"]).remaining_bytes == GIB
    response = admin_a_client.post(
        _url(QuotaRequest, "changelist"),
        {
            "action": "request_approve",
            "_selected_action": [b["request"].pk],
            "token": "t",
            "_lps_step": "apply",
        },
    )
    _assert_nothing_of_b(response, "bulk request approve")
    assert QuotaRequest.objects.get(pk=b["request"].pk).status == QuotaRequest.Status.PENDING
    response = admin_a_client.post(
        _url(Router, "changelist"),
        {"action": "converge_now", "_selected_action": [b["router"].pk]},
        follow=True,
    )
    _assert_nothing_of_b(response, "router converge")


def test_the_csv_export_holds_only_site_a(admin_a_client, two_sites):
    b = two_sites["B"]
    export = admin_a_client.get(_url(AuditEntry, "changelist"), {"format": "csv"})
    _assert_nothing_of_b(export, "CSV export")
    text = b"".join(admin_a_client.get(_url(AuditEntry, "changelist"), {"format": "csv"})).decode()
    assert two_sites["A"]["komandan"].phone in text
    selected = AuditEntry.objects.filter(target_user=b["komandan"]).values_list("pk", flat=True)
    bulk = admin_a_client.post(
        _url(AuditEntry, "changelist"), {"action": "export_csv", "_selected_action": list(selected)}
    )
    _assert_nothing_of_b(bulk, "CSV export of selected")


def test_the_dashboard_counts_only_site_a_for_its_admin(admin_a_client, staff_client, two_sites):
    mine = admin_a_client.get(reverse("admin:index"))
    _assert_nothing_of_b(mine, "dashboard")
    data = mine.context["d"]
    assert data["residents_total"] == 2 and data["pending"]["requests"] == 1
    assert data["revenue"]["today"] == 25000
    # Asking for site B by hand gives site A's figures, not B's.
    forced = admin_a_client.get(reverse("admin:index"), {"site": two_sites["B"]["site"].pk})
    assert forced.context["d"]["residents_total"] == 2
    _assert_nothing_of_b(forced, "dashboard with ?site=B")
    everything = staff_client.get(reverse("admin:index")).context["d"]
    assert everything["residents_total"] >= 4 and everything["revenue"]["today"] == 50000
    only_b = staff_client.get(reverse("admin:index"), {"site": two_sites["B"]["site"].pk})
    assert only_b.context["d"]["residents_total"] == 2
    assert 'id="lps-site-selector"' in only_b.content.decode()


def test_form_choices_of_site_b_are_not_offered_and_are_refused(admin_a_client, two_sites):
    a, b = two_sites["A"], two_sites["B"]
    change_page = admin_a_client.get(_url(User, "change", a["resident"].pk))
    _assert_nothing_of_b(change_page, "resident change form")  # no room, block or tamping type of B
    resident = a["resident"]
    move = admin_a_client.post(
        _url(User, "change", resident.pk),
        {"full_name": resident.full_name, "is_active": "on", "room": b["room"].pk},
    )
    assert move.status_code == 200 and "Pilih salah satu data" in move.content.decode()
    resident.refresh_from_db()
    assert resident.room_id == a["room"].pk
    block = admin_a_client.post(
        _url(Block, "change", a["block"].pk),
        {
            "site": b["site"].pk,
            "name": "BLOKA",
            "rooms-TOTAL_FORMS": "0",
            "rooms-INITIAL_FORMS": "0",
        },
    )
    assert block.status_code == 200 and "Pilih salah satu data" in block.content.decode()
    assert Block.objects.get(pk=a["block"].pk).site_id == a["site"].pk


def test_the_router_refresh_of_a_site_b_resident_is_not_found(admin_a_client, two_sites):
    url = reverse("admin:accounts_user_router_refresh", args=[two_sites["B"]["resident"].pk])
    assert admin_a_client.post(url).status_code == 404


def test_only_a_super_admin_limits_staff_to_sites_and_it_is_audited(client, staff, two_sites):
    admin_a, site_b = two_sites["admin_a"], two_sites["B"]["site"]
    client.force_login(staff)
    page = client.get(_url(User, "change", admin_a.pk))
    assert "staff_sites" in page.content.decode()
    response = client.post(
        _url(User, "change", admin_a.pk),
        {"full_name": admin_a.full_name, "role": "ADMIN", "is_active": "on", "staff_sites": [site_b.pk]},
    )
    assert response.status_code == 302
    assert list(admin_a.staff_sites.values_list("pk", flat=True)) == [site_b.pk]
    entry = AuditEntry.objects.get(action="user.staff_sites", target_user=admin_a)
    assert entry.after == {"staff_sites": [site_b.pk]} and entry.actor == staff
    # An unlimited ADMIN sees a staff account, read-only, and cannot give themselves sites.
    other = User.objects.create_user(
        "+6281377770000", "Admin Lain", role=User.Role.ADMIN, password="x-Long-1"
    )
    client.force_login(other)
    client.post(_url(User, "change", other.pk), {"full_name": "Admin Lain", "staff_sites": [site_b.pk]})
    assert not other.staff_sites.exists()


# --- bad input ------------------------------------------------------------------------------------------


def test_a_block_cannot_move_to_a_site_without_a_router(staff_client, two_sites):
    a = two_sites["A"]
    empty = _site("Lokasi Kosong", "KOSONG")
    form = {"name": "BLOKA", "rooms-TOTAL_FORMS": "0", "rooms-INITIAL_FORMS": "0"}
    refused = staff_client.post(_url(Block, "change", a["block"].pk), {**form, "site": empty.pk})
    assert refused.status_code == 200
    assert "Lokasi Kosong belum punya router yang aktif" in refused.content.decode()
    assert Block.objects.get(pk=a["block"].pk).site_id == a["site"].pk
    moved = staff_client.post(
        _url(Block, "change", a["block"].pk), {**form, "site": two_sites["B"]["site"].pk}
    )
    assert moved.status_code == 302
    assert Block.objects.get(pk=a["block"].pk).site_id == two_sites["B"]["site"].pk


def test_a_site_with_residents_cannot_be_deleted(staff_client, two_sites):
    site_b = two_sites["B"]["site"]
    page = staff_client.get(_url(Site, "delete", site_b.pk))
    text = page.content.decode()
    assert page.status_code == 200 and "objek terlindungi" in text and "Blok BLOKB" in text
    staff_client.post(_url(Site, "delete", site_b.pk), {"post": "yes"})
    assert Site.objects.filter(pk=site_b.pk).exists()


def test_the_default_site_cannot_be_deleted(staff_client, db):
    default = Site.objects.default()
    assert staff_client.get(_url(Site, "delete", default.pk)).status_code == 403


def test_an_admin_cannot_manage_sites(admin_a_client, two_sites):
    site_a = two_sites["A"]["site"]
    assert admin_a_client.get(_url(Site, "add")).status_code == 403
    response = admin_a_client.post(_url(Site, "change", site_a.pk), {"name": "Ganti", "code": "X"})
    assert response.status_code == 403
    assert Site.objects.get(pk=site_a.pk).name == "Lokasi Alfa"


def test_router_reset_is_refused_for_a_resident_whose_site_has_no_router(staff_client, make_user, two_sites):
    lonely = _site("Lokasi Sepi", "SEPI")
    room = Room.objects.create(block=Block.objects.create(site=lonely, name="BLOKS"), name="1")
    resident = _resident(make_user, room, "Warga Sepi", "+6281366660000")
    page = staff_client.get(reverse("admin:accounts_user_do", args=[resident.pk, "router_reset"]))
    assert "Tidak ada router aktif yang melayani lokasi warga binaan ini" in page.content.decode()
    assert page.context["allowed_count"] == 0
    assert not AuditEntry.objects.filter(action="router.reset", target_user=resident).exists()


def test_router_reset_rebuilds_on_the_residents_site_and_removes_from_another_sites_router(
    staff_client, two_sites
):
    from routers.models import RouterSnapshot

    a, b = two_sites["A"], two_sites["B"]
    # Entries left on router B from before the resident moved to site A.
    RouterSnapshot.objects.create(
        router=b["router"],
        user_id=a["resident"].pk,
        taken_at=timezone.now(),
        rows={"/queue/simple": [{"name": f"lps-u{a['resident'].pk}"}]},
    )
    url = reverse("admin:accounts_user_do", args=[a["resident"].pk, "router_reset"])
    token = staff_client.get(url).context["form"]["token"].value()
    page = staff_client.post(url, {"token": token, "reason": "", "_lps_step": "preview"})
    text = page.content.decode()
    assert "Router router-alfa" in text and "Router router-beta" in text
    assert "dihapus (router lokasi lain)" in text
    resident_page = staff_client.get(_url(User, "change", a["resident"].pk)).content.decode()
    assert "Router ini milik lokasi lain" in resident_page
