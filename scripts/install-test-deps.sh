#!/usr/bin/env bash
# Installs what the test suites need beyond node_modules, from Debian's packages:
# - redis-server, which the Redis suites start as a private child process (own port, no persistence);
# - chromium, which the browser suites drive through playwright-core (never a browser download);
# - slapd + ldap-utils (OpenLDAP), which the LDAP suites start as a private child process with their
#   own config directory and loopback port (test/support/ldap/); the package's system service is
#   never configured for use nor started (policy-rc.d below, debconf non-interactive).
# Idempotent; never starts a system service. Without apt-get nothing is installed and the suites
# that need these report "skipped".
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/slapd ] || missing+=(slapd)
command -v ldapadd >/dev/null 2>&1 || missing+=(ldap-utils)

if [ "${#missing[@]}" -eq 0 ]; then
  echo "present: $(redis-server --version | cut -d' ' -f1-3); $(/usr/bin/chromium --version 2>/dev/null || echo chromium); slapd"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "missing ${missing[*]} and apt-get is unavailable: the suites that need them will be skipped" >&2
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then as_root=(sudo -n); else
    echo "missing ${missing[*]} and not running as root (no sudo): cannot install" >&2
    exit 1
  fi
fi

# policy-rc.d exit 101 tells the package scripts not to start the service it installs; the
# tests spawn their own servers. Only a policy file created here is removed again.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
  "${as_root[@]}" chmod 755 "$policy"
  created_policy=1
fi
cleanup() { if [ "$created_policy" -eq 1 ]; then "${as_root[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
install() { "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; }
# A fresh machine may have no package lists yet: update only when the first attempt fails.
if ! install; then
  "${as_root[@]}" apt-get update
  install
fi

echo "installed: ${missing[*]}"
