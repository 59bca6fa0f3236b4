import { formatMoney } from '../../domain/money';
import { readAmount } from '../../domain/payments';
import type { StatementView } from '../../domain/statement-view';
import type { PageLinks } from '../../domain/links';
import { esc } from './html';

/**
 * The hosts Stripe's integration security guide lists for Stripe.js and the Payment Element
 * (docs.stripe.com/security/guide#content-security-policy), and nothing else: the script and its
 * frames from js.stripe.com (and its subdomains), 3-D Secure frames from hooks.stripe.com, API
 * calls to api.stripe.com. The Address Element's Google Maps hosts are left out: this page has none.
 */
export const STRIPE_CSP = {
  script: ['https://js.stripe.com', 'https://*.js.stripe.com'],
  frame: ['https://js.stripe.com', 'https://*.js.stripe.com', 'https://hooks.stripe.com'],
  connect: ['https://api.stripe.com'],
} as const;

export const STRIPE_JS_URL = 'https://js.stripe.com/v3/';

export interface StripeFormOptions {
  publishableKey: string;
  /** The location's connected account: the Payment Element makes its confirmation token there. */
  account: string;
  /** Set when the card asked for an authentication step (3-D Secure): the page takes it, then posts again. */
  clientSecret?: string;
  /** Whom to contact when the card form cannot load. */
  contactText: string;
}

/**
 * The page's one script (nonce'd): loads Stripe.js, mounts the Payment Element, and on PAY turns the
 * card into a confirmation token posted with the form. If Stripe.js cannot load (blocked, offline)
 * or the Element does not become ready in 10 s, the form stays hidden and a message says so: never a
 * blank area or a button that does nothing.
 */
const CONTROLLER = `(function(){
var f=document.getElementById('stripe-pay-form'),l=document.getElementById('stripe-loading'),u=document.getElementById('stripe-unavailable'),err=document.getElementById('stripe-error'),d=f.dataset,done=false;
function fail(){if(done)return;done=true;l.hidden=true;f.hidden=true;u.hidden=false;}
var timer=setTimeout(fail,10000);
var s=document.createElement('script');s.src=d.stripeJs;s.async=true;s.onerror=fail;s.onload=function(){if(!window.Stripe)return fail();start();};document.head.appendChild(s);
function show(m){err.textContent=m;err.hidden=false;}
function start(){
var stripe=window.Stripe(d.stripeKey,{stripeAccount:d.stripeAccount});
if(d.clientSecret){stripe.handleNextAction({clientSecret:d.clientSecret}).then(function(r){if(r.error){show(r.error.message+' You have not been charged.');return;}f.elements.paymentIntent.value=r.paymentIntent.id;f.submit();});}
var elements=stripe.elements({mode:'payment',amount:Number(d.amountMinor),currency:d.currency,captureMethod:'manual'});
var pe=elements.create('payment');pe.on('ready',function(){if(done)return;done=true;clearTimeout(timer);l.hidden=true;f.hidden=false;});pe.mount('#payment-element');
f.addEventListener('submit',function(e){if(f.elements.confirmationToken.value||f.elements.paymentIntent.value)return;e.preventDefault();err.hidden=true;
var amt=Math.round(Number(String(f.elements.amount.value).replace(/[^0-9.]/g,''))*100);if(amt>=100)elements.update({amount:amt});
elements.submit().then(function(r){if(r.error){show(r.error.message);return null;}return stripe.createConfirmationToken({elements:elements});}).then(function(c){if(!c)return;if(c.error){show(c.error.message);return;}f.elements.confirmationToken.value=c.confirmationToken.id;f.submit();});});
}})();`;

/** The Stripe card form: the guide's layout (amount, PAY, CANCEL) with Stripe's Payment Element for the card itself. */
export const stripeFormHtml = (view: StatementView, links: PageLinks, form: { idempotencyKey: string; amount: string }, stripe: StripeFormOptions, nonce: string): string => {
  const amount = readAmount(form.amount);
  const amountMinor = amount.ok ? amount.amountMinor : view.remainingMinor;
  const minimum = formatMoney({ amountMinor: 100, currency: view.currency });
  return `<section class="card" id="pay-form" aria-labelledby="pay-title">
<h2 id="pay-title">Pay by card</h2>
<p class="status" id="stripe-loading" role="status">Loading the secure card form…</p>
<div class="notice error" id="stripe-unavailable" role="alert" hidden><p>The secure card form could not load. Please check your connection and reload this page, or ${esc(stripe.contactText)} You have not been charged.</p></div>
<noscript><div class="notice error" role="alert"><p>Paying by card needs JavaScript, which is off in this browser. Please turn it on, or ${esc(stripe.contactText)}</p></div></noscript>
<form method="post" action="${esc(links.payUrl)}" id="stripe-pay-form" hidden data-stripe-js="${esc(STRIPE_JS_URL)}" data-stripe-key="${esc(stripe.publishableKey)}" data-stripe-account="${esc(stripe.account)}" data-amount-minor="${amountMinor}" data-currency="${esc(view.currency.toLowerCase())}"${stripe.clientSecret ? ` data-client-secret="${esc(stripe.clientSecret)}"` : ''}>
<input type="hidden" name="idempotencyKey" value="${esc(form.idempotencyKey)}">
<input type="hidden" name="statementVersion" value="${view.version}">
<input type="hidden" name="confirmationToken" value="">
<input type="hidden" name="paymentIntent" value="">
<div>
<label for="amount">Amount (${esc(view.currency)})</label>
<input id="amount" name="amount" type="text" autocomplete="transaction-amount" inputmode="decimal" maxlength="16" required value="${esc(form.amount)}" aria-describedby="amount-hint">
<p class="hint" id="amount-hint">Full balance ${esc(view.balance)}. You may pay less, at least ${esc(minimum)}.</p>
</div>
<div id="payment-element"></div>
<p class="field-error" id="stripe-error" role="alert" hidden></p>
<button class="button" type="submit">PAY NOW</button>
<a class="button secondary" href="${esc(links.statementUrl)}">CANCEL</a>
</form>
<script nonce="${esc(nonce)}">${CONTROLLER}</script>
</section>`;
};
