#!/usr/bin/env bash
# The deploy rehearsal's own checks (scripts/rehearsal/checks.sh) on good and on broken inputs: each check
# passes on the files of deploy/ as they are, and fails on
#   - a broken nginx directive (`http2 on;` on nginx < 1.25.1, and a misspelt directive),
#   - a unit with a wrong path (ExecStart, a file argument, WorkingDirectory, EnvironmentFile),
#   - a static file missing from the manifest.
# A few seconds, loopback only, nothing started. Needs nginx and systemd-analyze (run as root, like the
# rehearsal: `nginx -t` reads the certificate and Debian's temp directories).
set -euo pipefail
checkout="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/rehearsal/checks.sh
. "$checkout/scripts/rehearsal/checks.sh"

for tool in nginx systemd-analyze openssl python3; do
  command -v "$tool" >/dev/null || { echo "test_rehearsal_checks: $tool is missing (make rehearsal installs nginx)" >&2; exit 1; }
done

T=$(mktemp -d /tmp/lpsaring-checks.XXXXXX)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0

expect_pass() { # NAME COMMAND…
  local name=$1
  shift
  if "$@" >"$T/out" 2>&1; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name: refused (a broken file in deploy/, or a wrong check):"
    sed 's/^/     /' "$T/out"
  fi
}

expect_fail() { # NAME PATTERN COMMAND…: the check fails and says PATTERN
  local name=$1 pattern=$2
  shift 2
  if "$@" >"$T/out" 2>&1; then
    failed=$((failed + 1))
    echo "FAIL $name: the check accepted a broken input"
  elif ! grep -qE "$pattern" "$T/out"; then
    failed=$((failed + 1))
    echo "FAIL $name: the check failed without saying /$pattern/:"
    sed 's/^/     /' "$T/out"
  else
    passed=$((passed + 1))
    echo "ok   $name ($(grep -m1 -E "$pattern" "$T/out" | cut -c1-110))"
  fi
}

# --- nginx ----------------------------------------------------------------------------------------------
# The project's files, moved into the scratch directory as the rehearsal does, under a minimal main file.
nginx_fixture() { # SITE_FILE: a whole configuration in $T/nginx whose server block is SITE_FILE
  rm -rf "$T/nginx"
  mkdir -p "$T/nginx/ssl" "$T/nginx/run"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=test -keyout "$T/nginx/ssl/privkey.pem" \
    -out "$T/nginx/ssl/fullchain.pem" >/dev/null 2>&1
  sed -e "s#/etc/ssl/lpsaring/#$T/nginx/ssl/#g" -e "s#/etc/nginx/lpsaring-proxy.conf#$T/nginx/proxy.conf#g" \
    -e 's#listen 80;#listen 127.0.0.1:18081;#' -e 's#listen 443 #listen 127.0.0.1:18444 #' "$1" >"$T/nginx/site.conf"
  cp "$checkout/deploy/nginx/lpsaring-proxy.conf" "$T/nginx/proxy.conf"
  cat >"$T/nginx/nginx.conf" <<EOF
pid $T/nginx/run/nginx.pid;
error_log $T/nginx/error.log;
events {}
http {
    access_log off;
    include $T/nginx/site.conf;
}
EOF
}

nginx_fixture "$checkout/deploy/nginx/lpsaring.conf"
expect_pass "nginx: deploy/nginx/lpsaring.conf passes nginx -t ($(nginx -v 2>&1 | sed 's/.*: //'))" \
  check_nginx_config "$T/nginx/nginx.conf" "$T/nginx"

sed 's/listen 443 ssl http2;/listen 443 ssl;\n    http2 on;/' "$checkout/deploy/nginx/lpsaring.conf" >"$T/http2-on.conf"
grep -q 'http2 on;' "$T/http2-on.conf" || { echo "FAIL fixture: could not write the http2 on; variant" >&2; exit 1; }
nginx_fixture "$T/http2-on.conf"
version=$(nginx -v 2>&1 | sed 's#.*nginx/##; s# .*##')
if [[ $(printf '%s\n' 1.25.1 "$version" | sort -V | head -n 1) == 1.25.1 ]]; then
  echo "skip nginx: 'http2 on;' is valid on this nginx (>= 1.25.1); the misspelt directive below still fails"
else
  expect_fail "nginx: 'http2 on;' fails on this nginx" 'unknown directive "http2"' \
    check_nginx_config "$T/nginx/nginx.conf" "$T/nginx"
fi

sed 's/client_max_body_size 2m;/client_max_body_sise 2m;/' "$checkout/deploy/nginx/lpsaring.conf" >"$T/typo.conf"
nginx_fixture "$T/typo.conf"
expect_fail "nginx: a misspelt directive fails" 'unknown directive "client_max_body_sise"' \
  check_nginx_config "$T/nginx/nginx.conf" "$T/nginx"

# --- systemd units ---------------------------------------------------------------------------------------
# A fake install in $T/root: the paths the units name, with stand-in executables.
R="$T/root"
mkdir -p "$R/opt/lpsaring/.venv/bin" "$R/opt/lpsaring/deploy" "$R/opt/lpsaring/scripts" "$R/etc/lpsaring" \
  "$R/var/backups/lpsaring" "$T/units"
for exe in .venv/bin/python .venv/bin/gunicorn scripts/backup; do
  printf '#!/bin/sh\nexit 0\n' >"$R/opt/lpsaring/$exe"
  chmod +x "$R/opt/lpsaring/$exe"
done
touch "$R/opt/lpsaring/manage.py" "$R/opt/lpsaring/deploy/gunicorn.conf.py" "$R/etc/lpsaring/lpsaring.env"
user=lpsaring
getent passwd lpsaring >/dev/null || user=$(id -un) # the rehearsal creates lpsaring; this test does not
render_unit() { # SOURCE TARGET
  sed -e "s#/opt/lpsaring#$R/opt/lpsaring#g" -e "s#/etc/lpsaring/#$R/etc/lpsaring/#g" \
    -e "s#/var/backups/lpsaring#$R/var/backups/lpsaring#g" -e "s#^User=lpsaring#User=$user#" "$1" >"$2"
}
for unit in "$checkout"/deploy/systemd/*.service "$checkout"/deploy/systemd/*.timer; do
  render_unit "$unit" "$T/units/$(basename "$unit")"
done
for unit in "$T"/units/*.service; do
  expect_pass "unit: $(basename "$unit") paths exist" check_unit_paths "$unit"
done
expect_pass "units: systemd-analyze verify passes on deploy/systemd/" check_units_verify "$T"/units/*.service "$T"/units/*.timer

mkdir -p "$T/bad"
sed 's#/.venv/bin/gunicorn#/venv/bin/gunicorn#' "$T/units/lpsaring-web.service" >"$T/bad/lpsaring-web.service"
expect_fail "unit: a wrong ExecStart path fails the path check" 'ExecStart command .*/venv/bin/gunicorn is not an executable' \
  check_unit_paths "$T/bad/lpsaring-web.service"
expect_fail "unit: a wrong ExecStart path fails systemd-analyze verify" 'is not executable' \
  check_units_verify "$T/bad/lpsaring-web.service"
sed 's#deploy/gunicorn.conf.py#deploy/gunicorn.py#' "$T/units/lpsaring-web.service" >"$T/bad/lpsaring-web.service"
expect_fail "unit: a wrong file argument (-c deploy/gunicorn.py) fails" 'argument .*deploy/gunicorn.py does not exist' \
  check_unit_paths "$T/bad/lpsaring-web.service"
sed "s#^WorkingDirectory=.*#WorkingDirectory=$R/srv/lpsaring#" "$T/units/lpsaring-worker.service" >"$T/bad/lpsaring-worker.service"
expect_fail "unit: a wrong WorkingDirectory fails" 'WorkingDirectory=.* is not an existing directory' \
  check_unit_paths "$T/bad/lpsaring-worker.service"
sed "s#^EnvironmentFile=.*#EnvironmentFile=$R/etc/lpsaring.env#" "$T/units/lpsaring-guard.service" >"$T/bad/lpsaring-guard.service"
expect_fail "unit: a wrong EnvironmentFile fails" 'EnvironmentFile=.* is missing' \
  check_unit_paths "$T/bad/lpsaring-guard.service"
sed "s#^Environment=BACKUP_DIR=.*#Environment=BACKUP_DIR=$R/var/backup/lpsaring#" "$T/units/lpsaring-backup.service" >"$T/bad/lpsaring-backup.service"
expect_fail "unit: a wrong path in Environment= fails" 'Environment=BACKUP_DIR=.* does not exist' \
  check_unit_paths "$T/bad/lpsaring-backup.service"
sed 's#^ExecStart=#ExecStart=-#' "$T/units/lpsaring-guard.service" >"$T/bad/lpsaring-guard.service"
expect_fail "unit: a command line the rehearsal cannot run as written fails" 'syntax the rehearsal does not interpret' \
  check_unit_paths "$T/bad/lpsaring-guard.service"

# --- static files and the manifest ----------------------------------------------------------------------
cat >"$T/staticfiles.json" <<'EOF'
{"paths": {"admin/css/base.css": "admin/css/base.0123456789ab.css", "admin/js/nav.js": "admin/js/nav.ba9876543210.js"}, "version": "1.1"}
EOF
cat >"$T/good.html" <<'EOF'
<link rel="stylesheet" href="/static/admin/css/base.0123456789ab.css"><script src="/static/admin/js/nav.ba9876543210.js"></script>
EOF
expect_pass "static: every referenced file is a hashed manifest name" check_static_manifest "$T/good.html" "$T/staticfiles.json"
# What the page holds when admin/js/nav.js is missing from the manifest: its plain name.
sed 's#nav.ba9876543210.js#nav.js#' "$T/good.html" >"$T/missing.html"
expect_fail "static: a file missing from the manifest fails" 'without a hashed manifest name: admin/js/nav.js' \
  check_static_manifest "$T/missing.html" "$T/staticfiles.json"
expect_fail "static: no manifest (collectstatic not run) fails" 'no static manifest' \
  check_static_manifest "$T/good.html" "$T/nope.json"

echo "test_rehearsal_checks: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
