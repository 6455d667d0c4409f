/**
 * RFC 4515 §3: inside an assertion value `*`, `(`, `)`, `\` and NUL must be written as `\` and
 * two hex digits. Everything a user types goes through here before it reaches a filter, so an
 * input like `*)(uid=*` stays one literal value and cannot widen the search (LD-03).
 */
const SPECIAL = new Set(['*', '(', ')', '\\', String.fromCharCode(0)]);

export function escapeFilterValue(value: string): string {
  return Array.from(value, (c) => (SPECIAL.has(c) ? `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)).join('');
}

/** LDAP_SEARCH_FILTER with every `{{username}}` replaced by the escaped login name, wrapped in parentheses when bare. */
export function userSearchFilter(template: string, login: string): string {
  const filter = template.split('{{username}}').join(escapeFilterValue(login));
  return filter.startsWith('(') ? filter : `(${filter})`;
}
