/**
 * The otpauth:// URL as an SVG data URL, drawn on the server so the sign-in page needs no QR
 * script and its CSP stays `script-src 'self'` (data: images are already allowed).
 */
export async function qrCodeDataUrl(text: string): Promise<string> {
  // Loaded on first use: only an enrolment draws a code, and the library is not small.
  const QRCode = require('qrcode') as typeof import('qrcode');
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
