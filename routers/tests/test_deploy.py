"""The shipped RouterOS files say what the application relies on."""

import re
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "routeros"


def test_login_page_forwards_ip_mac_and_login_link_to_the_portal():
    page = (DEPLOY / "login.html").read_text()
    assert "PORTAL_URL/captive/?ip=$(ip)&mac=$(mac-esc)&link-login-only=$(link-login-only-esc)" in page


def test_bootstrap_keeps_payments_reachable_and_the_hotspot_out_of_fasttrack():
    script = (DEPLOY / "bootstrap.rsc").read_text()
    assert '"*.midtrans.com"' in script and "challenges.cloudflare.com" in script
    assert "action=fasttrack-connection" in script and '("!" . $hotspotNet)' in script
    assert 'policy="read,write,api,' in script
    comments = re.findall(r'comment="([^"]*)"', script)
    assert comments and not [c for c in comments if c.startswith("lps:")]  # never a managed tag
