export { TokenType, newOneTimeToken, hashOneTimeToken, type FreshToken } from './one-time-token';
export { consumeOneTimeToken, findOneTimeToken, type TokenOwner } from './outstanding-tokens';
