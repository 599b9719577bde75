# lpsaring: one-time router configuration (RouterOS 7). Review the variables, then:
#   /import file-name=bootstrap.rsc
# Safe to re-run: each step first looks for what it would add (comments start with "lpsaring:").
# Entries that the application manages itself (ip-bindings, address-list entries, simple queues and
# static leases with comments "lps:...") are NOT created here.

:local portalHost "wifi.example.id"      ;# public name of the portal (login.html redirects there)
:local portalAddr "192.0.2.10"           ;# address of the portal server as the router reaches it
:local appAddr "192.0.2.10/32"           ;# where the application connects to the API from
:local hotspotIf "bridge-hotspot"        ;# interface the residents' devices are on
:local hotspotNet "172.16.2.0/23"        ;# their subnet (HOTSPOT_CLIENT_CIDRS in the app)
:local hotspotAddr "172.16.2.1"          ;# the router's address on it
:local hotspotPool "pool-hotspot"        ;# existing IP pool for the hotspot's DHCP server
:local apiUser "lpsaring"
:local apiPassword "CHANGE-ME-long-random"
:local listBlocked "klient_blocked"      ;# ROUTER_LIST_BLOCKED in the app

# ---- 1. API user with least privilege: read, write, api; only from the application's address ----------
:if ([:len [/user group find name="lpsaring-api"]] = 0) do={
  /user group add name="lpsaring-api" policy="read,write,api,!local,!telnet,!ssh,!ftp,!reboot,!policy,!test,!winbox,!password,!web,!sniff,!sensitive,!romon,!rest-api" comment="lpsaring: API"
}
:if ([:len [/user find name=$apiUser]] = 0) do={
  /user add name=$apiUser group="lpsaring-api" password=$apiPassword address=$appAddr comment="lpsaring: API"
}
# Plain API only from the application; prefer api-ssl (8729) when the link is not trusted:
#   /certificate add name=lps-api common-name=$portalHost days-valid=3650 ; /certificate sign lps-api
#   /ip service set api-ssl certificate=lps-api address=$appAddr disabled=no ; /ip service set api disabled=yes
#   then export the certificate to the app host and set MIKROTIK_USE_TLS=1, MIKROTIK_TLS_CAFILE=<file>.
/ip service set api address=$appAddr

# ---- 2. Hotspot (only if none exists yet) -----------------------------------------------------------
:if ([:len [/ip hotspot find]] = 0) do={
  /ip hotspot profile add name="lps-hsprof" hotspot-address=$hotspotAddr html-directory="hotspot" login-by="http-chap" use-radius=no
  /ip hotspot add name="hotspot1" interface=$hotspotIf address-pool=$hotspotPool profile="lps-hsprof" disabled=no
}
# Upload deploy/routeros/login.html as hotspot/login.html afterwards (it redirects to the portal).

# ---- 3. Walled garden: the portal, Turnstile, Midtrans (payments work while quota is used up) ----------
:foreach host in={$portalHost; "challenges.cloudflare.com"; "app.midtrans.com"; "api.midtrans.com"; "app.sandbox.midtrans.com"; "api.sandbox.midtrans.com"; "*.midtrans.com"; "*.veritrans.co.id"; "*.gopay.co.id"; "*.gojek.com"; "*.shopeepay.co.id"; "*.bca.co.id"; "*.klikbca.com"; "*.bri.co.id"; "*.bankmandiri.co.id"; "*.bni.co.id"} do={
  :if ([:len [/ip hotspot walled-garden find dst-host=$host]] = 0) do={
    /ip hotspot walled-garden add dst-host=$host action=allow comment="lpsaring: walled garden"
  }
}
:if ([:len [/ip hotspot walled-garden ip find dst-address=$portalAddr]] = 0) do={
  /ip hotspot walled-garden ip add dst-address=$portalAddr action=accept comment="lpsaring: portal"
}
# Bank and e-wallet pages by address (HTTPS apps ignore dst-host): the application keeps the list
# lps_walled_garden (WALLED_GARDEN_LIST) filled from WALLED_GARDEN_DOMAINS, resolved daily.
:if ([:len [/ip hotspot walled-garden ip find comment="lpsaring: payment addresses"]] = 0) do={
  /ip hotspot walled-garden ip add dst-address-list="lps_walled_garden" action=accept comment="lpsaring: payment addresses"
}

# ---- 4. Filter rules for the status lists -------------------------------------------------------------
# blocked: dropped both ways (the ip-binding type=blocked already drops at the hotspot; this also covers
# a device whose binding was removed by hand). habis/expired/inactive devices have NO binding, so the
# hotspot captures them and shows the portal; do not drop them in forward, or they cannot reach
# Midtrans and their bank to pay (the "banking deadlock" of the earlier deployment).
:if ([:len [/ip firewall filter find comment="lpsaring: blocked out"]] = 0) do={
  /ip firewall filter add chain=forward src-address-list=$listBlocked action=drop comment="lpsaring: blocked out" place-before=0
  /ip firewall filter add chain=forward dst-address-list=$listBlocked action=drop comment="lpsaring: blocked in" place-before=1
}

# ---- 5. FastTrack off for the hotspot subnet ----------------------------------------------------------
# FastTracked packets skip simple queues: the per-user queue would neither limit nor count them.
:foreach rule in=[/ip firewall filter find action=fasttrack-connection] do={
  /ip firewall filter set $rule src-address=("!" . $hotspotNet) dst-address=("!" . $hotspotNet)
}

:put "lpsaring bootstrap done: now upload hotspot/login.html and run `python manage.py router_check`."
