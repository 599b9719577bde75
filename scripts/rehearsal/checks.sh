# shellcheck shell=bash
# The deploy rehearsal's checks that need no running application: scripts/deploy_rehearsal runs them on
# the rendered files, scripts/tests/test_rehearsal_checks.sh shows that each one fails on a broken input.
# Each prints one FAIL line (and the tool's own output) and returns 1 when the input is wrong.

fail() {
  echo "FAIL: $*" >&2
  return 1
}

# check_nginx_config CONF PREFIX: `nginx -t` of a whole configuration (a broken or unknown directive, a
# missing certificate or include fails it).
check_nginx_config() {
  local conf=$1 prefix=$2 output
  if ! output=$(nginx -t -q -p "$prefix" -c "$conf" -e "$prefix/nginx-test-error.log" 2>&1); then
    printf '%s\n' "$output" >&2
    fail "nginx -t refuses $conf ($(nginx -v 2>&1))"
    return 1
  fi
  [[ -z $output ]] || printf '%s\n' "$output" >&2 # warnings (e.g. deprecated directives) are shown
}

# unit_values UNIT KEY: every value of KEY= in the unit, one per line, in order.
unit_values() {
  sed -n "s/^[[:space:]]*$2=//p" "$1"
}

# unit_command_words LINE: the words of an Exec*= command line. Only plain command lines are accepted
# (no quoting, specifiers, variables or prefixes such as `-` or `+`), so what runs is never misread.
unit_command_words() {
  local line=$1
  if [[ $line =~ [\"\'\$%\\] || $line =~ ^[-@+!:] ]]; then
    fail "command line uses syntax the rehearsal does not interpret: $line"
    return 1
  fi
  local -a words
  read -ra words <<<"$line"
  printf '%s\n' "${words[@]}"
}

# check_unit_paths UNIT: the user exists, WorkingDirectory, EnvironmentFile and every path-valued
# Environment= exist, each Exec* command is an executable absolute path and each of its file arguments
# (manage.py, deploy/gunicorn.conf.py, …) exists, relative to WorkingDirectory.
check_unit_paths() {
  local unit=$1 name errors=0 user workdir file key line value word
  local -a words
  name=$(basename "$unit")
  user=$(unit_values "$unit" User)
  if [[ -n $user ]] && ! getent passwd "$user" >/dev/null; then
    fail "$name: User=$user does not exist"; errors=1
  fi
  workdir=$(unit_values "$unit" WorkingDirectory)
  if [[ -z $workdir || $workdir != /* || ! -d $workdir ]]; then
    fail "$name: WorkingDirectory=$workdir is not an existing directory"; errors=1
  fi
  while IFS= read -r file; do
    [[ -z $file || $file == -* ]] && continue # "-/path" is optional by definition
    [[ -r $file ]] || { fail "$name: EnvironmentFile=$file is missing or unreadable"; errors=1; }
  done < <(unit_values "$unit" EnvironmentFile)
  while IFS= read -r line; do
    value=${line#*=}
    if [[ $value == /* && ! -e $value ]]; then
      fail "$name: Environment=$line names a path that does not exist"; errors=1
    fi
  done < <(unit_values "$unit" Environment)
  for key in ExecStartPre ExecStart ExecStartPost ExecReload ExecStop ExecStopPost; do
    while IFS= read -r line; do
      [[ -z $line ]] && continue
      value=$(unit_command_words "$line") || { errors=1; continue; }
      mapfile -t words <<<"$value"
      if [[ ${words[0]} != /* || ! -x ${words[0]} ]]; then
        fail "$name: $key command ${words[0]} is not an executable absolute path"; errors=1
      fi
      for word in "${words[@]:1}"; do
        [[ $word == -* ]] && continue
        [[ $word == */* || $word == *.py || $word == *.conf ]] || continue
        [[ $word == /* ]] || word="$workdir/$word"
        [[ -e $word ]] || { fail "$name: $key argument $word does not exist"; errors=1; }
      done
    done < <(unit_values "$unit" "$key")
  done
  return "$errors"
}

# check_units_verify UNIT…: `systemd-analyze verify`; any message about the units counts as a failure
# (verify exits 0 on some problems, e.g. an unknown setting).
check_units_verify() {
  local output status=0
  output=$(systemd-analyze verify "$@" 2>&1) || status=$?
  if [[ $status -ne 0 || -n $output ]]; then
    printf '%s\n' "$output" >&2
    fail "systemd-analyze verify: $*"
    return 1
  fi
}

# static_refs HTML: the /static/ URLs a page references (src= and href=), one per line.
static_refs() {
  grep -oE '(src|href)="/static/[^"]+"' "$1" | sed -E 's/^(src|href)="//; s/"$//' | sort -u
}

# check_static_manifest HTML MANIFEST: the page references static files, and every one of them is a
# hashed name from the manifest (staticfiles.json). A file missing from the manifest is rendered under its
# plain name (WHITENOISE_MANIFEST_STRICT is off), is not cached forever, and shows up here.
check_static_manifest() {
  local html=$1 manifest=$2 refs missing
  [[ -r $manifest ]] || { fail "no static manifest at $manifest (collectstatic did not run?)"; return 1; }
  refs=$(static_refs "$html")
  [[ -n $refs ]] || { fail "$html references no /static/ file"; return 1; }
  missing=$(python3 - "$manifest" "$refs" <<'PY'
import json, sys
from urllib.parse import urlsplit
hashed = set(json.load(open(sys.argv[1]))["paths"].values())
for ref in sys.argv[2].split():
    name = urlsplit(ref).path.removeprefix("/static/")
    if name not in hashed:
        print(name)
PY
)
  if [[ -n $missing ]]; then
    fail "static files referenced without a hashed manifest name: $(echo $missing)"
    return 1
  fi
}
