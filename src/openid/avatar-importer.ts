import { Injectable, Logger } from '@nestjs/common';
import { outboundProxy } from '../common/outbound-proxy';
import { OpenIdConfig } from '../config';

/** The imported image is kept in the user record as a data: URL, so it is kept small. */
const MAX_BYTES = 256 * 1024;
const TIMEOUT_MS = 5_000;
const MAX_REDIRECTS = 3;
/** Raster types only (no SVG: it can carry script); the bytes must match the declared type. */
const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => b.subarray(0, 4).toString('latin1') === 'GIF8',
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

/**
 * OPENID_AVATAR_AUTHORIZED_ORIGINS: the provider's `picture` is imported only from a listed
 * origin, fetched here (through PROXY/NO_PROXY) with a time limit, a size limit and a raster type
 * whose bytes match; each redirect is checked against the list again, never followed off it. The
 * image becomes a `data:` URL stored as `user.avatar`, which LibreChat's client loads like any
 * image URL, from every instance and with either store; the provider's URL itself is never
 * handed to browsers (no hot-linking). Anything else — no list, another origin, a failure — is
 * null: the avatar is left as it is and the sign-in goes on.
 */
@Injectable()
export class AvatarImporter {
  private readonly logger = new Logger('OpenIdAvatar');

  constructor(private readonly config: OpenIdConfig) {}

  async importPicture(picture: unknown): Promise<string | null> {
    const allowed = this.config.avatarAuthorizedOrigins;
    if (allowed.length === 0 || typeof picture !== 'string' || picture === '') return null;
    try {
      return await this.fetchImage(picture, new Set(allowed.map((o) => new URL(o).origin)));
    } catch (error) {
      this.logger.warn(`picture not imported: ${(error as Error).message}`);
      return null;
    }
  }

  private async fetchImage(start: string, allowed: Set<string>): Promise<string> {
    let url = new URL(start);
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!/^https?:$/.test(url.protocol) || !allowed.has(url.origin)) throw new Error(`${url.origin} is not in OPENID_AVATAR_AUTHORIZED_ORIGINS`);
      const dispatcher = outboundProxy(this.config.proxy, this.config.noProxy).dispatcherFor(url.href);
      const res = await fetch(url, {
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: { accept: 'image/*' },
        ...(dispatcher ? { dispatcher } : {}),
      } as RequestInit);
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel();
        const location = res.headers.get('location');
        if (!location) throw new Error(`redirect ${res.status} without a location`);
        url = new URL(location, url);
        continue;
      }
      if (res.status !== 200) {
        await res.body?.cancel();
        throw new Error(`answered ${res.status}`);
      }
      const type = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
      const matches = SIGNATURES[type];
      if (!matches) {
        await res.body?.cancel();
        throw new Error(`type ${type || 'none'} is not an accepted image type`);
      }
      const bytes = await readLimited(res);
      if (!matches(bytes)) throw new Error(`the bytes are not ${type}`);
      return `data:${type};base64,${bytes.toString('base64')}`;
    }
    throw new Error('too many redirects');
  }
}

async function readLimited(res: Response): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_BYTES) {
    await res.body?.cancel();
    throw new Error(`${declared} bytes is more than ${MAX_BYTES}`);
  }
  const reader = res.body?.getReader();
  if (!reader) throw new Error('empty body');
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BYTES) {
      await reader.cancel();
      throw new Error(`more than ${MAX_BYTES} bytes`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
