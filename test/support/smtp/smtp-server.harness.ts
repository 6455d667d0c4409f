import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { testCertificate } from './certificate';

export type SmtpMode = 'plain' | 'starttls' | 'implicitTls';

/** Where and how the server refuses, to simulate provider faults. */
export interface SmtpFault {
  stage: 'connect' | 'mail' | 'rcpt' | 'data';
  /** SMTP reply code: 4xx transient, 5xx permanent. Default 550. */
  code?: number;
  message?: string;
}

export interface SmtpServerOptions {
  /** Default 'plain'. */
  mode?: SmtpMode;
  /** When set, AUTH (PLAIN/LOGIN) is required and other credentials get 535. Without it AUTH is optional and any credentials pass. */
  auth?: { username: string; password: string };
  /** Shorthand for fault { stage: 'data', code: 550 }. */
  rejectAll?: boolean;
  fault?: SmtpFault;
  /** Delay before acknowledging each message, in ms. */
  delayMs?: number;
  /** Listen on this port (e.g. to bring a "crashed" server back where clients expect it). Default: ephemeral. */
  port?: number;
}

export interface ReceivedMail {
  from?: string;
  /** Addresses from the To header. */
  to: string[];
  subject?: string;
  text?: string;
  html?: string;
  headers: ParsedMail['headers'];
  envelope: { mailFrom?: string; rcptTo: string[] };
  /** Whether the session ran over TLS (implicit or after STARTTLS) when the message arrived. */
  secure: boolean;
  /** Authenticated username, if the client authenticated. */
  user?: string;
  raw: Buffer;
  parsed: ParsedMail;
}

export interface SmtpServerHandle {
  host: string;
  port: number;
  mode: SmtpMode;
  /** PEM to trust as CA (TLS modes only). */
  ca?: string;
  messages: ReceivedMail[];
  /** Resolves with the first received message (already received or future) matching the predicate. */
  waitForMessage(predicate?: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Change or clear the fault at runtime, e.g. fail the first attempt and then recover. */
  setFault(fault: SmtpFault | undefined): void;
  setDelay(ms: number): void;
  /**
   * Receives messages (they appear in `messages` and wake waiters) but withholds the SMTP
   * acknowledgement until the returned function is called, so a test can prove an answer did
   * not wait for delivery. `stop()` releases a hold still in place.
   */
  hold(): () => void;
  clear(): void;
  /** Server-side errors (client TLS failures, aborted sockets) seen so far. */
  errors: Error[];
  stop(): Promise<void>;
}

type Waiter = { predicate: (mail: ReceivedMail) => boolean; resolve: (mail: ReceivedMail) => void };

export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<SmtpServerHandle> {
  const { mode = 'plain', auth } = options;
  let fault: SmtpFault | undefined = options.rejectAll ? { stage: 'data', code: 550, message: 'Rejected by test' } : options.fault;
  let delayMs = options.delayMs ?? 0;
  const messages: ReceivedMail[] = [];
  const errors: Error[] = [];
  let waiters: Waiter[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let gate: { promise: Promise<void>; release: () => void } | undefined;

  const failure = (stage: SmtpFault['stage']): Error | null => {
    if (fault?.stage !== stage) return null;
    const code = fault.code ?? 550;
    return Object.assign(new Error(fault.message ?? `Simulated ${code} at ${stage}`), { responseCode: code });
  };

  const certificate = mode === 'plain' ? undefined : await testCertificate();
  const tlsOptions: SMTPServerOptions = certificate ? { key: certificate.key, cert: certificate.cert } : {};
  const disabledCommands = mode === 'starttls' ? [] : ['STARTTLS'];

  const server = new SMTPServer({
    ...tlsOptions,
    secure: mode === 'implicitTls',
    disabledCommands,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: !auth,
    // Without TLS there would be no way to authenticate at all; with STARTTLS offered we
    // keep smtp-server's rule that AUTH only follows the upgrade, like real providers.
    allowInsecureAuth: mode === 'plain',
    closeTimeout: 500,
    logger: false,
    onConnect(_session, callback) {
      callback(failure('connect'));
    },
    onAuth(authentication, _session, callback) {
      const { username, password } = authentication;
      if (auth && (username !== auth.username || password !== auth.password)) {
        return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      }
      callback(null, { user: username });
    },
    onMailFrom(_address, _session, callback) {
      callback(failure('mail'));
    },
    onRcptTo(_address, _session, callback) {
      callback(failure('rcpt'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const rejected = failure('data');
        if (rejected) return callback(rejected);
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            const mail = toReceivedMail(raw, parsed, session);
            messages.push(mail);
            const ready = waiters.filter((w) => w.predicate(mail));
            waiters = waiters.filter((w) => !ready.includes(w));
            ready.forEach((w) => w.resolve(mail));
            if (gate) return void gate.promise.then(() => callback());
            if (!delayMs) return callback();
            const timer = setTimeout(() => {
              timers.delete(timer);
              callback();
            }, delayMs);
            timers.add(timer);
          })
          .catch((err: Error) => callback(err));
      });
    },
  });
  server.on('error', (err: Error) => errors.push(err));

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('SMTP server has no TCP address');

  return {
    host: '127.0.0.1',
    port: address.port,
    mode,
    ca: certificate?.cert,
    messages,
    errors,
    waitForMessage(predicate = () => true, timeoutMs = 5_000) {
      const existing = messages.find(predicate);
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(new Error(`no matching mail within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        const waiter: Waiter = {
          predicate,
          resolve: (mail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        };
        waiters.push(waiter);
      });
    },
    setFault(next) {
      fault = next;
    },
    setDelay(ms) {
      delayMs = ms;
    },
    hold() {
      let release!: () => void;
      const promise = new Promise<void>((resolve) => (release = resolve));
      const held = { promise, release };
      gate = held;
      return () => {
        if (gate === held) gate = undefined;
        held.release();
      };
    },
    clear() {
      messages.length = 0;
    },
    stop() {
      gate?.release();
      gate = undefined;
      timers.forEach(clearTimeout);
      timers.clear();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((group) => group.value.map((a) => a.address ?? '')).filter(Boolean);
}

function toReceivedMail(raw: Buffer, parsed: ParsedMail, session: SMTPServerSession): ReceivedMail {
  const { mailFrom, rcptTo } = session.envelope;
  return {
    from: addresses(parsed.from)[0],
    to: addresses(parsed.to),
    subject: parsed.subject,
    text: parsed.text,
    html: parsed.html || undefined,
    headers: parsed.headers,
    envelope: { mailFrom: mailFrom ? mailFrom.address : undefined, rcptTo: rcptTo.map((r) => r.address) },
    secure: session.secure,
    user: typeof session.user === 'string' ? session.user : undefined,
    raw,
    parsed,
  };
}
