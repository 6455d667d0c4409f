import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Env } from '../../../src/config';
import { BackgroundTasks, OutboxWorker } from '../../../src/mail';
import type { RunningApp } from '../../support/app.harness';
import type { ReceivedMail, SmtpServerHandle } from '../../support/smtp';
import { startAuthApp } from '../auth/auth-helpers';

export const CLIENT = 'https://chat.example.test';
export const FROM = 'noreply@gatehouse.test';

/**
 * Mail settings pointing at a test SMTP server, with a fast outbox: short polls and back-off so
 * retries happen within a test, short timeouts so a dead server fails fast.
 */
export function mailEnv(smtp: { host: string; port: number }, extra: Env = {}): Env {
  return {
    DOMAIN_CLIENT: CLIENT,
    EMAIL_HOST: smtp.host,
    EMAIL_PORT: String(smtp.port),
    EMAIL_FROM: FROM,
    EMAIL_FROM_NAME: 'Gatehouse Test',
    EMAIL_CONNECTION_TIMEOUT: '2',
    EMAIL_GREETING_TIMEOUT: '2',
    EMAIL_SOCKET_TIMEOUT: '3',
    MAIL_OUTBOX_POLL_INTERVAL: '50',
    MAIL_RETRY_INITIAL_DELAY: '100',
    MAIL_RETRY_MAX_DELAY: '300',
    ALLOW_PASSWORD_RESET: 'true',
    ...extra,
  };
}

export function startMailApp(smtp: { host: string; port: number }, extra: Env = {}): Promise<RunningApp> {
  return startAuthApp(mailEnv(smtp, extra));
}

/** The first link to DOMAIN_CLIENT in the text part, checked to appear in the HTML part too. */
export function linkIn(mail: ReceivedMail): URL {
  const match = /https?:\/\/\S+/.exec(mail.text ?? '');
  if (!match) throw new Error(`no link in mail "${mail.subject}":\n${mail.text}`);
  const link = match[0];
  const htmlHref = decodeEntities(/href="([^"]+)"/.exec(mail.html ?? '')?.[1] ?? '');
  if (htmlHref !== link) throw new Error(`HTML link ${htmlHref} differs from text link ${link}`);
  return new URL(link);
}

/** What a browser does to an attribute value: numeric entities and &amp; back to characters. */
function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&amp;/g, '&');
}

export function mailTo(smtp: SmtpServerHandle, to: string, subject?: string, timeoutMs = 8_000): Promise<ReceivedMail> {
  return smtp.waitForMessage((m) => m.to.includes(to) && (subject === undefined || m.subject === subject), timeoutMs);
}

export function messagesTo(smtp: SmtpServerHandle, to: string, subject?: string): ReceivedMail[] {
  return smtp.messages.filter((m) => m.to.includes(to) && (subject === undefined || m.subject === subject));
}

export function writeTempFile(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-mail-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Brings the app's mail outbox to rest without waiting: the work requests started in the
 * background (queueing a mail) has finished, and a full worker pass has run after any pass in
 * progress (`OutboxWorker.flush`). Every mail due now has then been handed to the transport, so
 * "nothing more was sent" can be asserted at once. A later attempt of a failed mail is only due
 * when the app's clock reaches its back-off.
 */
export async function settleOutbox(app: RunningApp): Promise<void> {
  await app.app.get(BackgroundTasks).drain();
  await app.app.get(OutboxWorker).flush();
}

/** Polls until `check` returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 8_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
