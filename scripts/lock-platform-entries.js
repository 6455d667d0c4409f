#!/usr/bin/env node
// The registry mirror reachable here lacks some other-platform builds of optional native
// packages (e.g. @swc/core-darwin-arm64), so `npm install` leaves them out of package-lock.json
// and `npm ci` then calls the lock out of sync. This adds the missing entries with their os/cpu,
// which lets npm skip them as incompatible optional packages on every platform but their own.
// Usage: node scripts/lock-platform-entries.js   (after any `npm install` that changes the lock)
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.resolve(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openharmony', 'sunos', 'netbsd', 'openbsd', 'aix'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  return os && cpu ? { os, cpu } : null;
}

let added = 0;
for (const [key, entry] of Object.entries(packages)) {
  if (!entry.optionalDependencies) continue;
  const base = key === '' ? 'node_modules/' : `${key}/node_modules/`;
  for (const [dep, version] of Object.entries(entry.optionalDependencies)) {
    const nested = `${base}${dep}`;
    const hoisted = `node_modules/${dep}`;
    if (packages[nested] || packages[hoisted]) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+/.test(version)) continue;
    packages[hoisted] = {
      version,
      cpu: [platform.cpu],
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [platform.os],
    };
    added++;
  }
}

lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`added ${added} platform entr${added === 1 ? 'y' : 'ies'} to package-lock.json\n`);
