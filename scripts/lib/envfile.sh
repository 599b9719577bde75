# shellcheck shell=bash
# Reading /etc/lpsaring/lpsaring.env the way systemd's EnvironmentFile= does, for the scripts that run
# outside a unit (scripts/manage, scripts/backup, scripts/restore) and for the deploy rehearsal.
# Understood: KEY=value lines, blank lines, comments starting with # or ;, one pair of surrounding quotes.
# Not understood (and refused): anything else, e.g. `export KEY=value` or a line without `=`.

# envfile_read FILE: prints the file's assignments as normalised KEY=value lines (quotes removed).
envfile_read() {
  local file=$1 line key value number=0
  [[ -r $file ]] || { echo "environment file $file is missing or unreadable" >&2; return 1; }
  while IFS= read -r line || [[ -n $line ]]; do
    number=$((number + 1))
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    [[ -z $line || $line == \#* || $line == \;* ]] && continue
    key=${line%%=*}
    if [[ $line != *=* || ! $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
      echo "$file:$number: not a KEY=value line" >&2
      return 1
    fi
    value=${line#*=}
    if [[ ${#value} -ge 2 && ( ($value == \"*\" ) || ($value == \'*\') ) ]]; then
      value=${value:1:${#value}-2}
    fi
    printf '%s=%s\n' "$key" "$value"
  done <"$file"
}

# envfile_export FILE: exports every assignment that the caller's environment does not already set, so
# `DEBUG=1 scripts/manage …` still wins over the file.
envfile_export() {
  local assignments line
  assignments=$(envfile_read "$1") || return 1
  while IFS= read -r line; do
    [[ -z $line ]] && continue
    [[ -v ${line%%=*} ]] || export "${line?}"
  done <<<"$assignments"
}

# libpq_url URL: a DATABASE_URL as libpq (psql, pg_dump, pg_restore) accepts it. django-environ also
# knows the schemes pgsql://, psql:// and postgis://, which libpq does not.
libpq_url() {
  local url=$1
  case $url in
    postgres://* | postgresql://*) printf '%s\n' "$url" ;;
    pgsql://* | psql://* | postgis://*) printf 'postgresql://%s\n' "${url#*://}" ;;
    *) echo "DATABASE_URL is not a PostgreSQL URL: ${url%%://*}://…" >&2; return 1 ;;
  esac
}
