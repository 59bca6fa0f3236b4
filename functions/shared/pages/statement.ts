import { stripeFormHtml, type StripeFormOptions } from './stripe-form';
import type { FieldProblem } from '../../domain/card';
import type { PaymentRecord } from '../../domain/payments';
import { formatMoney } from '../../domain/money';
import { readAmount } from '../../domain/payments';
import { DEFAULT_ACCENT, textColourOn, type StatementView } from '../../domain/statement-view';
import type { PageLinks } from '../../domain/links';
import { esc } from './html';
import { layout } from './layout';

export interface Notice {
  tone: 'error' | 'info' | 'success';
  text: string;
}

/** The card form's state. Card number and CVV are never part of it: they are never sent back. */
export interface PayForm {
  idempotencyKey: string;
  amount: string;
  nameOnCard?: string;
  expiry?: string;
  errors?: FieldProblem[];
}

export interface StatementPageOptions {
  view: StatementView;
  links: PageLinks;
  nonce: string;
  notice?: Notice;
  form?: PayForm;
  /** Shown instead of PAY NOW (and the form) when the location cannot take card payments. */
  paymentsUnavailable?: string;
  /** In a Stripe stage the card form is Stripe's Payment Element (pages/stripe-form.ts). */
  stripe?: StripeFormOptions;
}

const noticeHtml = (notice: Notice | undefined) =>
  notice ? `<div class="notice ${notice.tone}" role="${notice.tone === 'error' ? 'alert' : 'status'}"><p>${esc(notice.text)}</p></div>` : '';

const isPayable = (view: StatementView) => view.state === 'due' || view.state === 'partially_paid';

/** The business's address, phone and email under its name, as on a paper statement. */
export const contactHtml = (view: StatementView): string => {
  const { addressLines, phone, email } = view.contact;
  const parts = [
    ...addressLines.map((line) => esc(line)),
    phone ? `<a href="tel:${esc(phone.e164)}">${esc(phone.display)}</a>` : '',
    email ? `<a href="mailto:${esc(email)}">${esc(email)}</a>` : '',
  ].filter(Boolean);
  return parts.length ? `<address class="contact">${parts.join('<br>')}</address>` : '';
};

const brandOf = (view: StatementView) => ({
  accentColor: view.accentColor,
  onAccentColor: view.onAccentColor,
  brand: view.businessName,
  logoUrl: view.logoUrl,
  contactHtml: contactHtml(view),
});

const summary = (view: StatementView, links: PageLinks, withPayButton: boolean, paymentsUnavailable?: string): string => {
  const lines = [
    `<h1 id="statement-title">Statement</h1>`,
    view.statementNumber || view.customerName
      ? `<p class="muted">${[view.statementNumber ? `No. ${esc(view.statementNumber)}` : '', view.customerName ? `For ${esc(view.customerName)}` : ''].filter(Boolean).join(' · ')}</p>`
      : '',
    view.billingDate ? `<p>Billing Date: ${esc(view.billingDate)}</p>` : '',
    view.dueDate ? `<p>Due Date: ${esc(view.dueDate)}${view.overdue ? ' <strong class="badge">Overdue</strong>' : ''}</p>` : '',
  ];
  if (view.state === 'no_statement') {
    lines.push('<p class="status">There is no statement to pay yet.</p>');
  } else {
    lines.push(`<p class="label" id="balance-label">${view.state === 'partially_paid' ? 'Remaining balance' : 'Balance due'}</p>`);
    lines.push(`<p class="amount" aria-describedby="balance-label">${esc(view.balance)}</p>`);
    if (view.state === 'partially_paid') lines.push(`<p class="muted">Statement total ${esc(view.total)} · Paid so far ${esc(view.paid)}</p>`);
    if (view.state === 'paid_in_full') lines.push(`<p class="status">Paid in full (${esc(view.paid)}). Nothing more is due.</p>`);
    if (view.state === 'nothing_due') lines.push('<p class="status">Nothing is due on this statement.</p>');
  }
  if (view.memo) lines.push(`<p class="memo">${esc(view.memo)}</p>`);
  if (view.attachmentName) {
    lines.push(`<p><a href="${esc(links.attachmentUrl)}">View the statement PDF<span class="muted"> (${esc(view.attachmentName)})</span></a></p>`);
  }
  if (isPayable(view) && paymentsUnavailable) lines.push(`<p class="status" id="payments-unavailable" role="status">${esc(paymentsUnavailable)}</p>`);
  else if (withPayButton && isPayable(view)) lines.push(`<a class="button" href="${esc(links.payFormUrl)}">PAY NOW</a>`);
  return `<section class="card" aria-labelledby="statement-title">${lines.filter(Boolean).join('\n')}</section>`;
};

const field = (
  form: PayForm,
  o: { name: string; label: string; autocomplete: string; inputmode: string; value?: string; hint?: string; maxlength: number; placeholder?: string },
) => {
  const error = form.errors?.find((e) => e.path === o.name);
  const described = [o.hint ? `${o.name}-hint` : '', error ? `${o.name}-error` : ''].filter(Boolean).join(' ');
  return `<div>
<label for="${o.name}">${esc(o.label)}</label>
<input id="${o.name}" name="${o.name}" type="text" autocomplete="${o.autocomplete}" inputmode="${o.inputmode}" maxlength="${o.maxlength}" required${
    o.placeholder ? ` placeholder="${esc(o.placeholder)}"` : ''
  }${o.value ? ` value="${esc(o.value)}"` : ''}${described ? ` aria-describedby="${described}"` : ''}${error ? ' aria-invalid="true"' : ''}>
${o.hint ? `<p class="hint" id="${o.name}-hint">${esc(o.hint)}</p>` : ''}${error ? `<p class="field-error" id="${o.name}-error">${esc(error.message)}</p>` : ''}
</div>`;
};

const payFormHtml = (view: StatementView, links: PageLinks, form: PayForm): string => {
  const minimum = formatMoney({ amountMinor: 100, currency: view.currency });
  // Without JavaScript the button cannot follow the field as it is typed: it names the amount the form was shown with.
  const amount = readAmount(form.amount);
  const payLabel = `PAY ${amount.ok ? formatMoney({ amountMinor: amount.amountMinor, currency: view.currency }) : view.balance}`;
  return `<section class="card" id="pay-form" aria-labelledby="pay-title">
<h2 id="pay-title">Pay by card</h2>
<form method="post" action="${esc(links.payUrl)}">
<input type="hidden" name="idempotencyKey" value="${esc(form.idempotencyKey)}">
<input type="hidden" name="statementVersion" value="${view.version}">
${field(form, { name: 'amount', label: `Amount (${view.currency})`, autocomplete: 'transaction-amount', inputmode: 'decimal', value: form.amount, maxlength: 16, hint: `Full balance ${view.balance}. You may pay less, at least ${minimum}.` })}
${field(form, { name: 'nameOnCard', label: 'Name on card', autocomplete: 'cc-name', inputmode: 'text', value: form.nameOnCard, maxlength: 100 })}
${field(form, { name: 'cardNumber', label: 'Card Number', autocomplete: 'cc-number', inputmode: 'numeric', maxlength: 23, placeholder: '1234 5678 9012 3456' })}
<div class="row">
${field(form, { name: 'expiry', label: 'Expiration', autocomplete: 'cc-exp', inputmode: 'numeric', value: form.expiry, maxlength: 9, placeholder: 'MM / YY' })}
${field(form, { name: 'cvv', label: 'CVV', autocomplete: 'cc-csc', inputmode: 'numeric', maxlength: 4, placeholder: '123' })}
</div>
<button class="button" type="submit">${esc(payLabel)}</button>
<a class="button secondary" href="${esc(links.statementUrl)}">CANCEL</a>
</form>
</section>`;
};

/** The statement, optionally with the card form (after PAY NOW) and a notice on top. */
export const renderStatementPage = (o: StatementPageOptions): string => {
  const showForm = Boolean(o.form) && isPayable(o.view) && !o.paymentsUnavailable;
  const formHtml = !showForm || !o.form ? '' : o.stripe ? stripeFormHtml(o.view, o.links, o.form, o.stripe, o.nonce) : payFormHtml(o.view, o.links, o.form);
  const body = [noticeHtml(o.notice), summary(o.view, o.links, !showForm, o.paymentsUnavailable), formHtml].join('\n');
  return layout({ title: `Statement · ${o.view.businessName}`, nonce: o.nonce, ...brandOf(o.view), body });
};

/** `2026-11-24T19:46:07Z` → `11/24/2026, 1:46 PM CST` in the location's time zone, named. */
export const formatPaymentTime = (iso: string, timeZone = 'UTC'): string =>
  new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso));

export interface ReceiptOptions {
  view: StatementView;
  payment: PaymentRecord;
  links: PageLinks;
  nonce: string;
  timeZone?: string;
  /** The printable copy (`?receipt=`): no success notice, a Print-friendly page to keep. */
  printable?: boolean;
}

/** What the customer sees after a completed payment (and on every replay of the same submission). */
export const renderReceipt = (o: ReceiptOptions): string => {
  const money = (amountMinor: number) => formatMoney({ amountMinor, currency: o.payment.currency });
  const rows: Array<[string, string, string?]> = [
    ['Paid to', o.view.businessName],
    ...(o.view.customerName ? ([['For', o.view.customerName]] as Array<[string, string]>) : []),
    ...(o.view.statementNumber ? ([['Statement', o.view.statementNumber]] as Array<[string, string]>) : []),
    ['Paid with', `${o.payment.cardBrand} ending in ${o.payment.cardLast4}`],
    ['Date', formatPaymentTime(o.payment.completedAt, o.timeZone)],
    ['Reference', o.payment.paymentId, 'ref'],
    ['Remaining balance', money(o.payment.remainingAfterMinor)],
  ];
  const keep = o.printable
    ? `<p class="muted no-print">Use your browser's Print (or Share) to print this receipt or save it as a PDF.</p>
<div class="actions"><a class="button" href="${esc(o.links.receiptUrl(o.payment.paymentId, true))}">Download receipt</a></div>`
    : `<div class="actions"><a class="button" href="${esc(o.links.receiptUrl(o.payment.paymentId))}">Print receipt</a><a class="button" href="${esc(o.links.receiptUrl(o.payment.paymentId, true))}">Download</a></div>`;
  const body = `${o.printable ? '' : '<div class="notice success" role="status"><p>Your payment was successful.</p></div>\n'}<section class="card" aria-labelledby="receipt-title">
<h1 id="receipt-title">${o.printable ? 'Receipt' : 'Payment received'}</h1>
<p class="label" id="paid-label">Amount paid</p>
<p class="amount" aria-describedby="paid-label">${esc(money(o.payment.amountMinor))}</p>
<dl>${rows.map(([k, v, cls]) => `<div><dt>${esc(k)}</dt><dd${cls ? ` class="${cls}"` : ''}>${esc(v)}</dd></div>`).join('')}</dl>
${keep}
<a class="button secondary" href="${esc(o.links.statementUrl)}">Back to statement</a>
</section>`;
  return layout({ title: `${o.printable ? 'Receipt' : 'Payment received'} · ${o.view.businessName}`, nonce: o.nonce, ...brandOf(o.view), body });
};

/** A duplicate submission whose first copy is still running: never invite a second payment. */
export const renderProcessing = (o: { view: StatementView; links: PageLinks; nonce: string }): string =>
  layout({
    title: `Payment processing · ${o.view.businessName}`,
    nonce: o.nonce,
    ...brandOf(o.view),
    body: `<section class="card" aria-labelledby="processing-title">
<h1 id="processing-title">Your payment is being processed</h1>
<p>We received your payment and are still processing it. Please do not pay again.</p>
<p>Open your statement in a minute to see the updated balance.</p>
<a class="button secondary" href="${esc(o.links.statementUrl)}">Open statement</a>
</section>`,
  });

const plainPage = (nonce: string, title: string, heading: string, text: string) =>
  layout({ title, nonce, accentColor: DEFAULT_ACCENT, onAccentColor: textColourOn(DEFAULT_ACCENT), body: `<section class="card"><h1>${esc(heading)}</h1><p>${esc(text)}</p></section>`, footer: false });

/** The same page for every unknown, malformed or revoked token or code: it reveals nothing. */
export const renderNotFound = (nonce: string): string =>
  plainPage(nonce, 'Page not found', 'Page not found', 'This link is not valid. Please check the link in your message, or contact the business that sent it.');

export const renderBadRequest = (nonce: string): string =>
  plainPage(nonce, 'Something went wrong', 'Something went wrong', 'We could not read that request. Please go back to your statement link and try again.');

export const renderServerError = (nonce: string): string =>
  plainPage(nonce, 'Something went wrong', 'Something went wrong', 'Something went wrong on our side. Please wait a moment, then open your statement link again to check your balance before paying.');
