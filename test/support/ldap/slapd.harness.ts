import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, isListening } from '../free-port';

export const SLAPD = '/usr/sbin/slapd';
export const SUFFIX = 'dc=example,dc=org';
export const PEOPLE = `ou=people,${SUFFIX}`;
/** The search account the app binds as (LDAP_BIND_DN); anonymous clients may not search. */
export const READER_DN = `cn=reader,${SUFFIX}`;
export const READER_PASSWORD = 'reader-secret';

export interface LdapPerson {
  uid: string;
  password: string;
  cn: string;
  sn: string;
  givenName?: string;
  mail?: string[];
}

export interface SlapdHandle {
  /** ldap://127.0.0.1:<port> (plain, STARTTLS available). */
  url: string;
  /** ldaps://localhost:<port> (TLS from the first byte). */
  ldapsUrl: string;
  /** Directory holding ca.pem (the test CA that signed the server certificate). */
  dir: string;
  caPath: string;
  /** slapd's `stats` log (one line per operation and result) since start or the last `clearLog()`. */
  log(): string[];
  clearLog(): void;
  /** SIGSTOP: connections are accepted by the kernel but nothing is answered (a hung server). */
  freeze(): void;
  thaw(): void;
  /** Stops the server (SIGTERM, then SIGKILL). Idempotent. The ports stay as they were for restart(). */
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stops it and removes the temporary directory. */
  destroy(): Promise<void>;
}

/** slapd (Debian's `slapd` package, installed by scripts/install-test-deps.sh) is present. */
export function slapdAvailable(): boolean {
  try {
    fs.accessSync(SLAPD, fs.constants.X_OK);
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A private OpenLDAP server: slapd.conf and an MDB database in a temporary directory, seeded with
 * `slapadd` before it starts, listening on two free loopback ports (ldap:// with STARTTLS and
 * ldaps://) with a certificate from a CA generated for this run. The system's slapd service is
 * never used.
 */
export async function startSlapd(people: LdapPerson[]): Promise<SlapdHandle> {
  if (!slapdAvailable()) throw new Error('slapd is not installed (scripts/install-test-deps.sh installs it)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-slapd-'));
  fs.mkdirSync(path.join(dir, 'data'));
  makeCertificates(dir);
  const conf = path.join(dir, 'slapd.conf');
  fs.writeFileSync(conf, slapdConf(dir));
  fs.writeFileSync(path.join(dir, 'seed.ldif'), seedLdif(people));
  execFileSync(SLAPD, ['-T', 'add', '-f', conf, '-l', path.join(dir, 'seed.ldif')], { stdio: 'pipe' });

  const port = await freePort();
  const tlsPort = await freePort();
  let child: ChildProcess | null = null;
  let lines: string[] = [];

  const start = async () => {
    const proc = spawn(SLAPD, ['-f', conf, '-h', `ldap://127.0.0.1:${port}/ ldaps://127.0.0.1:${tlsPort}/`, '-d', 'stats'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let partial = '';
    proc.stderr?.on('data', (c: Buffer) => {
      if (stderr.length < 10_000) stderr += c.toString();
      const text = partial + c.toString();
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts.filter((l) => / conn=\d+ op=\d+ /.test(` ${l}`)));
    });
    const deadline = Date.now() + 10_000;
    while (!(await isListening(port)) || !(await isListening(tlsPort))) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`slapd did not start: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    child = proc;
  };
  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    proc.kill('SIGCONT');
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  await start();
  return {
    url: `ldap://127.0.0.1:${port}`,
    ldapsUrl: `ldaps://localhost:${tlsPort}`,
    dir,
    caPath: path.join(dir, 'ca.pem'),
    log: () => [...lines],
    clearLog: () => {
      lines = [];
    },
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
    stop,
    restart: start,
    async destroy() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A CA and a server certificate for localhost / 127.0.0.1 signed by it (EC keys: fast to make). */
function makeCertificates(dir: string): void {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Gatehouse test LDAP CA',
  ]);
  run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  run([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  ]);
}

function slapdConf(dir: string): string {
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCACertificateFile ${dir}/ca.pem
TLSCertificateFile ${dir}/server.pem
TLSCertificateKeyFile ${dir}/server.key
database mdb
maxsize 16777216
suffix "${SUFFIX}"
rootdn "cn=admin,${SUFFIX}"
rootpw admin-secret-not-used
directory ${dir}/data
access to attrs=userPassword by anonymous auth by * none
access to * by dn.exact="${READER_DN}" read by self read by anonymous auth by * none
`;
}

function seedLdif(people: LdapPerson[]): string {
  const blocks = [
    `dn: ${SUFFIX}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example`,
    `dn: ${PEOPLE}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ${READER_DN}\nobjectClass: person\ncn: reader\nsn: reader\nuserPassword: ${READER_PASSWORD}`,
    ...people.map((p) =>
      [
        `dn: uid=${p.uid},${PEOPLE}`,
        'objectClass: inetOrgPerson',
        `uid: ${p.uid}`,
        `cn: ${p.cn}`,
        `sn: ${p.sn}`,
        ...(p.givenName ? [`givenName: ${p.givenName}`] : []),
        ...(p.mail ?? []).map((m) => `mail: ${m}`),
        `userPassword: ${p.password}`,
      ].join('\n'),
    ),
  ];
  return `${blocks.join('\n\n')}\n`;
}
