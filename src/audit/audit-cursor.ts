import { CommonErrors, DomainError } from '../common/errors';

/** Opaque to clients: base64url of `<epoch ms>.<id>` of the last event of a page. */
export function encodeCursor(position: { at: Date; id: string }): string {
  return Buffer.from(`${position.at.getTime()}.${position.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^(\d{1,15})\.([A-Za-z0-9]{1,64})$/.exec(text);
  if (!match) throw new DomainError(CommonErrors.INVALID_CURSOR);
  return { at: new Date(Number(match[1])), id: match[2] };
}
