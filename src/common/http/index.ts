export { CookieInstructions, applyCookies, type CookieToClear, type CookieToSet, type RequestCookies } from './cookie-instructions';
