#!/usr/bin/env bash
# Indonesian catalogue: each area keeps its translations in locale/fragments/<area>.po; this merges them
# into locale/id/LC_MESSAGES/django.po and compiles django.mo (both committed, so no gettext at run time).
set -euo pipefail
cd "$(dirname "$0")/.."
out=locale/id/LC_MESSAGES
mkdir -p "$out"
msgcat --use-first --sort-output -o "$out/django.po" locale/fragments/*.po
msgfmt --check-format -o "$out/django.mo" "$out/django.po"
