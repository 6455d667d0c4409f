export { TokenType, newOneTimeToken, hashOneTimeToken, type FreshToken } from './one-time-token';
