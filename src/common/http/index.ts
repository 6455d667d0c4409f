export {
  CookieInstructions,
  applyCookies,
  type CookieOptions,
  type CookieToClear,
  type CookieToSet,
  type CookieWritable,
  type RequestCookies,
} from './cookie-instructions';
