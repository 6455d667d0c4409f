/** Deepest JSON nesting accepted in a request body (objects and arrays together). */
export const MAX_JSON_DEPTH = 64;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether `body` nests objects/arrays deeper than `max` — one pass over the raw bytes before
 * JSON.parse, so a 2,000-level body is refused before parsing and validation recurse into it
 * (LG-05). Brackets inside strings do not count. Malformed JSON is left to the parser to refuse.
 */
export function exceedsJsonDepth(body: Uint8Array, max = MAX_JSON_DEPTH): boolean {
  // A body shorter than the limit cannot open more brackets than it has bytes.
  if (body.length <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}
