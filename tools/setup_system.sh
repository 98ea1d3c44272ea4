#!/usr/bin/env bash
# System packages the suite needs, installed only when missing (Debian/Ubuntu).
# PostgreSQL for Odoo's tests, Chromium + chromedriver for the browser tours,
# wkhtmltopdf for Odoo's PDF reports (the report exports are parsed back in tests).
set -euo pipefail

missing=()
command -v psql >/dev/null 2>&1 || missing+=(postgresql postgresql-client)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v dropdb >/dev/null 2>&1 || missing+=(postgresql-client)
command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: please install: ${missing[*]} (no apt-get on this system)"
    exit 0
  fi
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
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
