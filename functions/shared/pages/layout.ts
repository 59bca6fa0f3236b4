import { esc } from './html';

/** The whole stylesheet: small, inline (CSP nonce), mobile first, readable at 360 px. */
const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1b1b1b;background:#f3f4f6}
header{background:#fff;border-top:6px solid var(--accent);padding:14px 16px;text-align:center}
.brand{font-weight:700;font-size:1.125rem;margin:0}
.logo{display:block;max-width:160px;max-height:48px;margin:0 auto 6px}
.contact{font-size:.9375rem;color:#3d3d3d;font-style:normal;margin:4px 0 0}
.contact a{display:inline-block;padding:2px 0}
.badge{display:inline-block;margin-left:8px;padding:0 8px;border-radius:4px;background:#b3261e;color:#fff;font-weight:700;font-size:.875rem}
.actions{display:flex;gap:12px}
.actions .button{flex:1}
main{max-width:30rem;margin:0 auto;padding:16px}
.card{background:#fff;border-radius:12px;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.15);margin:0 0 16px}
h1{font-size:1.5rem;margin:0 0 8px}
h2{font-size:1.25rem;margin:0 0 8px}
p{margin:0 0 8px}
.amount{font-size:2.5rem;font-weight:700;line-height:1.2;margin:4px 0 12px;overflow-wrap:anywhere}
.label{font-weight:600;color:#3d3d3d;margin:16px 0 0}
.muted{color:#4a4a4a}
.memo{white-space:pre-line;border-left:4px solid #d0d4da;padding-left:12px;margin:12px 0}
.button{display:block;width:100%;margin:16px 0 0;padding:14px 16px;border:0;border-radius:8px;background:var(--accent);color:var(--on-accent);font:inherit;font-size:1.125rem;font-weight:700;letter-spacing:.04em;text-align:center;text-decoration:none;cursor:pointer}
.button.secondary{background:#fff;color:#1b1b1b;border:2px solid #6b6b6b;margin-top:12px}
a{color:#0b4fa8}
a:focus,.button:focus,input:focus{outline:3px solid #0b4fa8;outline-offset:2px}
label{display:block;font-weight:600;margin:14px 0 4px}
input{display:block;width:100%;padding:12px;font:inherit;font-size:1.0625rem;color:#1b1b1b;background:#fff;border:1px solid #6b6b6b;border-radius:6px}
input[aria-invalid=true]{border:2px solid #b3261e}
.row{display:flex;gap:12px}
.row>div{flex:1;min-width:0}
.hint{font-size:.9375rem;color:#4a4a4a;margin:4px 0 0}
.field-error{font-size:.9375rem;color:#b3261e;font-weight:600;margin:4px 0 0}
.notice{padding:12px 14px;border-radius:8px;border-left:6px solid;margin:0 0 16px}
.notice.error{background:#fdecea;border-color:#b3261e;color:#5c100c}
.notice.info{background:#e8f0fb;border-color:#0b4fa8;color:#0a2e5c}
.notice.success{background:#e6f4ea;border-color:#1e6b35;color:#0f3d1d}
.status{font-weight:700;font-size:1.125rem}
dl{margin:12px 0 0}
dl div{display:flex;justify-content:space-between;gap:12px;padding:8px 0;border-top:1px solid #e1e4e8}
dt{color:#3d3d3d}
dd{margin:0;font-weight:600;text-align:right;overflow-wrap:anywhere}
dd.ref{font:600 .8125rem/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
footer{text-align:center;padding:8px 16px 32px;color:#3d3d3d}
@media print{body{background:#fff}.card{box-shadow:none;border:1px solid #d0d4da}.no-print,.button{display:none}}
`;

export interface LayoutOptions {
  title: string;
  nonce: string;
  accentColor: string;
  onAccentColor: string;
  /** Shown above the page, e.g. the business name; omitted on the plain 404 page. */
  brand?: string;
  /** The merchant's logo (https), shown above the name with the name as alt text. */
  logoUrl?: string;
  /** Already-escaped HTML under the name: how to reach the business. */
  contactHtml?: string;
  body: string;
  footer?: boolean;
}

export const layout = (o: LayoutOptions): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${esc(o.title)}</title>
<style nonce="${esc(o.nonce)}">:root{--accent:${esc(o.accentColor)};--on-accent:${esc(o.onAccentColor)}}${CSS}</style>
</head>
<body>
${o.brand ? `<header>${o.logoUrl ? `<img class="logo" src="${esc(o.logoUrl)}" alt="${esc(o.brand)} logo">` : ''}<p class="brand">${esc(o.brand)}</p>${o.contactHtml ?? ''}</header>` : ''}
<main>
${o.body}
</main>
${o.footer === false ? '' : '<footer><p>Thank you for your business</p></footer>'}
</body>
</html>
`;
