# lpsaring: list-based FUP with mangle + queue tree, an ALTERNATIVE to the per-user simple queues.
#
# The application always writes each fup device's IP into the address list `klient_fup`. This recipe
# shapes that list on the router: every member gets at most FUP down/up, whoever they are.
#
# Trade-off:
#   + one mangle pair and two tree queues instead of one simple queue per user: cheaper per packet when
#     thousands of users are online, and the shaping survives the application being down.
#   - no per-user byte counters: usage accounting (usage_sync) reads the simple queues' counters, so with
#     ROUTER_STATIC_LEASES and simple queues off you need another counter source (e.g. Traffic-Flow).
#   - PCQ limits per IP, not per user: a resident with three devices gets three times the FUP rate.
#   - the quota guard's per-user cap (guard_rate_bps) cannot be expressed; only the list rate applies.
# Keep FastTrack off for the hotspot subnet (bootstrap.rsc step 5), or tree queues see nothing either.

:local listFup "klient_fup"
:local fupDown "1M"
:local fupUp "1M"

/queue type add name="lps-fup-down" kind=pcq pcq-rate=$fupDown pcq-classifier=dst-address comment="lpsaring: fup"
/queue type add name="lps-fup-up" kind=pcq pcq-rate=$fupUp pcq-classifier=src-address comment="lpsaring: fup"

/ip firewall mangle add chain=prerouting src-address-list=$listFup action=mark-packet new-packet-mark="lps-fup-up" passthrough=no comment="lpsaring: fup up"
/ip firewall mangle add chain=prerouting dst-address-list=$listFup action=mark-packet new-packet-mark="lps-fup-down" passthrough=no comment="lpsaring: fup down"

/queue tree add name="lps-fup-up" parent=global packet-mark="lps-fup-up" queue="lps-fup-up" comment="lpsaring: fup"
/queue tree add name="lps-fup-down" parent=global packet-mark="lps-fup-down" queue="lps-fup-down" comment="lpsaring: fup"
