from django.urls import path

from portal.views import captive, komandan, resident

captive_patterns = (
    [
        path("", captive.portal, name="portal"),
        path("masuk/", captive.phone, name="phone"),
        path("kode/", captive.code, name="code"),
        path("terhubung/", captive.connected, name="connected"),
        path("status/", captive.status, name="status"),
        path("daftar/", captive.register, name="register"),
        path("daftar/menunggu/", captive.waiting, name="waiting"),
    ],
    "captive",
)

resident_patterns = (
    [
        path("", resident.home, name="home"),
        path("perangkat/", resident.devices, name="devices"),
        path("perangkat/<int:pk>/ubah/", resident.device_edit, name="device_edit"),
        path("perangkat/<int:pk>/hapus/", resident.device_delete, name="device_delete"),
        path("riwayat/", resident.history, name="history"),
        path("buka/<str:token>/", resident.open_in_main_browser, name="open"),
        path("keluar/", resident.sign_out, name="sign_out"),
    ],
    "resident",
)

komandan_patterns = ([path("", komandan.komandan_requests, name="requests")], "komandan")
