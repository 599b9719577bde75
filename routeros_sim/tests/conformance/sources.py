"""Where each checked behaviour is documented or was observed (cited by the tests that check it)."""

# The MikroTik manual's API page (the same text as the older wiki page Manual:API).
MANUAL = "https://help.mikrotik.com/docs/spaces/ROS/pages/47579160/API"
MANUAL_WORDS = MANUAL + " (API words: the length encoding table)"
MANUAL_TRAP = MANUAL + " (!trap: '/ip/address/add =address=192.168.88.1 =interface=asdf' example)"
MANUAL_TAGS = MANUAL + " (tags; '/interface/set =disabled=yes =.id=ether1' in the /cancel example)"
MANUAL_LOGIN = MANUAL + " (Initial login, post v6.43)"
MANUAL_QUERIES = MANUAL + " (Queries: the stack, ?< ?> ?#)"
MANUAL_PROPLIST = MANUAL + " (.proplist)"
MANUAL_TLS = MANUAL + " (API over TLS)"
COMMAND_NOTES = "https://wiki.mikrotik.com/wiki/API_command_notes (/quit answers !fatal)"
# Router captures in the client library lpsaring uses; where they and the manual's hand-written examples
# differ (the position of .tag), the capture is what a router sends and wins.
CAPTURES = "https://github.com/luqasz/librouteros/blob/master/docs/api_analysis.rst"
EMPTY_CHANGELOG = (
    "RouterOS 7.18 changelog 'console - put !empty sentence when API query returns nothing' "
    "(quoted in go-routeros/routeros PR #29; wire example in pear2/Net_RouterOS PR #80)"
)
UNKNOWN_COMMAND = (
    "routers' replies as logged by clients: home-assistant/core#68115 'no such command or directory "
    "(routerboard), no such command prefix'; tomaae/homeassistant-mikrotik_router#328"
)
LOGIN_REFUSED = (
    "wire logs of v6.45+/v7 routers: BenMenking/routeros-api#52 (6.47.6), LaiArturs/RouterOS_API#9: "
    "[['!trap', '=message=invalid user name or password (6)'], ['!done']]"
)
PRACTICE = (
    "unverified in the manual; what clients rely on (routeros.md A9) - this suite checks it on a router"
)
HOTSPOT = "https://help.mikrotik.com/docs/spaces/ROS/pages/56459266/HotSpot (Host table)"
LIBROUTEROS_INTEGRATION = (
    "https://github.com/luqasz/librouteros/blob/master/tests/integration/test_general.py "
    "(test_query: /ip/address add on ether1, then select where .id and address)"
)
