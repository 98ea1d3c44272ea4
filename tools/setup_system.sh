#!/usr/bin/env bash
# System parts the suite needs, installed only when missing (Debian/Ubuntu; elsewhere one
# sentence per missing part says what to install).  PostgreSQL for Odoo, Chromium +
# chromedriver for the browser tours, wkhtmltopdf for Odoo's PDF reports, and the headers
# that Odoo's requirements compile against (python-ldap, psycopg2) when make setup provisions Odoo.
set -euo pipefail

missing=()
declare -A why=(
  [postgresql]="a PostgreSQL server (Odoo's database), version 12 or newer"
  [postgresql-client]="the PostgreSQL client tools (psql, createdb, dropdb)"
  [chromium]="Chromium, for Odoo's browser tours"
  [chromium-driver]="chromedriver matching Chromium, for the screenshots"
  [wkhtmltopdf]="wkhtmltopdf, for Odoo's PDF reports"
  [libldap2-dev]="the OpenLDAP headers, to build python-ldap"
  [libsasl2-dev]="the Cyrus SASL headers, to build python-ldap"
  [libpq-dev]="libpq's headers, to build psycopg2"
  [python3-venv]="Python's venv module with ensurepip"
)
command -v psql >/dev/null 2>&1 || missing+=(postgresql postgresql-client)
command -v dropdb >/dev/null 2>&1 || missing+=(postgresql-client)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || missing+=(python3-venv)
if command -v dpkg >/dev/null 2>&1; then
  for header in libldap2-dev libsasl2-dev libpq-dev; do
    dpkg -s "$header" >/dev/null 2>&1 || missing+=("$header")
  done
fi
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk 'NF && !seen[$0]++')

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    for part in "${missing[@]}"; do echo "setup: please install ${why[$part]} (Debian package: $part)"; done
  else
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

# A PostgreSQL server must answer; start the local cluster when it is installed but down.
if ! pg_isready -q 2>/dev/null && ! pg_isready -q -h 127.0.0.1 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    ${sudo:-} pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
fi

# Odoo refuses to run as the 'postgres' role: make sure the current user has a role of its own.
user=$(id -un)
if ! psql -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$user'" 2>/dev/null | grep -q 1; then
  if command -v sudo >/dev/null 2>&1 || [ "$(id -u)" -eq 0 ]; then
    (cd /tmp && ${sudo:-} su postgres -c "createuser --superuser '$user'") 2>/dev/null \
      || echo "setup: could not create a PostgreSQL role for '$user'; create one with CREATEDB"
  fi
fi
echo "setup: system packages ready"
