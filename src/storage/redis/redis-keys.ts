/**
 * Where each kind of record lives in Redis. Every key starts with the configured prefix so
 * several deployments (or LibreChat itself) can share one server without colliding.
 *
 *   <prefix>kv:<key>              hash { value, expiresAt }
 *   <prefix>violations:<subject>  hash { score:<type>, expiresAt:<type> } for every type
 *   <prefix>ban:<subject>         hash { type, reason?, violationCount, createdAt, expiresAt, userId? }
 *
 * The variable part is always last, so any subject or key text is unambiguous.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  kv(key: string): string {
    return `${this.prefix}kv:${key}`;
  }

  violations(subject: string): string {
    return `${this.prefix}violations:${subject}`;
  }

  ban(subject: string): string {
    return `${this.prefix}ban:${subject}`;
  }

  /** The subject of a key returned by `banPattern()`. */
  subjectOfBan(key: string): string {
    return key.slice(this.ban('').length);
  }

  /** SCAN patterns: the prefix is escaped so glob characters in it match literally. */
  kvPattern(): string {
    return `${escapeGlob(this.kv(''))}*`;
  }

  violationsPattern(): string {
    return `${escapeGlob(this.violations(''))}*`;
  }

  banPattern(): string {
    return `${escapeGlob(this.ban(''))}*`;
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
