/**
 * Shared HTML frame. Kept plain (inline styles, no images, no external resources) so every mail
 * client renders it and nothing in it phones home.
 */
export function htmlLayout(body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>{{subject}}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f5;font-family:Arial,Helvetica,sans-serif;color:#18181b">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
<h1 style="font-size:20px;margin:0 0 16px">{{appName}}</h1>
${body}
<p style="font-size:12px;color:#71717a;margin-top:32px">&copy; {{year}} {{appName}}</p>
</div>
</body>
</html>
`;
}

export function button(label: string): string {
  return `<p style="margin:24px 0"><a href="{{link}}" rel="noreferrer" style="background:#18181b;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${label}</a></p>
<p style="font-size:12px;color:#71717a">If the button does not work, copy this address into your browser:<br><span style="word-break:break-all">{{link}}</span></p>`;
}
