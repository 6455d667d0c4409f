#!/usr/bin/env bash
# Installs what the test suites need beyond node_modules: redis-server, which the Redis suites
# start as a private child process (own port, no persistence). Idempotent; never starts a
# system service. Without apt-get nothing is installed and the Redis suites report "skipped".
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
  echo "redis-server present: $(redis-server --version)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "redis-server not found and apt-get unavailable: install redis-server (or set REDIS_URI) to run the Redis suites" >&2
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then as_root=(sudo -n); else
    echo "redis-server missing and not running as root (no sudo): cannot install it" >&2
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
install() { "${as_root[@]}" apt-get install -y --no-install-recommends redis-server; }
# A fresh machine may have no package lists yet: update only when the first attempt fails.
if ! install; then
  "${as_root[@]}" apt-get update
  install
fi

echo "installed: $(redis-server --version)"
