import fc from 'fast-check';
import { ulid } from 'ulid';
import { ROUTES, type RouteName } from '../../functions/shared/manifest';
import { merchantWithLocation, type ApiResponse, type Merchant } from '../support/api';
import { customerWithStatement, openPayForm, postPayForm, type CustomerLinks } from '../support/payments';
import { stackInfo } from '../support/stack-info';
import { adminTarget, closeWebhookClients, eventually, startReceiver } from '../support/webhooks';
import { setWebhook } from '../../scripts/admin/webhooks';
import { fieldsOf, fuzzTarget, validValue } from './support/bad-requests';
import { merchantView } from './support/stack-state';
import { figures } from './support/figures';

/**
 * Two tenants probe each other's ids on every route: the answer to another tenant's id must be the
 * answer to an id nobody has (same status, code and message; same page for the customer routes),
 * and nothing of the other tenant may appear in any answer.
 */
const fig = figures('tenant isolation');

interface Tenant {
  merchant: Merchant;
  links: CustomerLinks;
  paymentId: string;
  deliveryId: string;
  cursors: Record<string, string>;
  /** Text that is this tenant's alone: ids, names, links. */
  secrets: string[];
}

const unknown = { cus: `cus_${ulid()}`, pay: `pay_${ulid()}`, dlv: `dlv_${ulid()}`, stm: `stm_${ulid()}` };

/** An answer without what differs per request (request ids, CSP nonces). */
const comparable = (response: { status: number; text: string }) => ({
  status: response.status,
  text: response.text.replace(/"requestId":"[^"]*"/g, '').replace(/nonce(-|=")[A-Za-z0-9+/=_-]+/g, 'nonce'),
});

const page = async (url: string, init?: RequestInit) => {
  const response = await fetch(url, { redirect: 'manual', ...init });
  return { status: response.status, text: await response.text() };
};

const setUpTenant = async (name: string, receiverUrl: string): Promise<Tenant> => {
  const merchant = await merchantWithLocation({ name });
  await setWebhook(adminTarget(), { location: merchant.locationId, url: receiverUrl });
  const links = await customerWithStatement(merchant, { balanceDue: '90.00', memo: `${name} memo` });
  const paid = await postPayForm(links.statementUrl, { ...(await openPayForm(links.statementUrl)), amount: '15.00', nameOnCard: `${name} Payer` });
  if (paid.status !== 200) throw new Error(`payment failed: ${paid.status}`);
  // A second customer, so that each listing has a next page and so a cursor.
  await customerWithStatement(merchant);
  const deliveries = await eventually(async () => {
    const items = (await merchant.call('GET', '/listWebhookDeliveries')).body.items as Array<{ id: string }>;
    return items.length ? items : undefined;
  });
  const payments = (await merchant.call('GET', '/listPayments', { query: { customerId: links.customerId } })).body.items as Array<{ id: string }>;
  const cursorOf = async (path: string) => (await merchant.call('GET', path, { query: { limit: '1' } })).body.nextCursor as string;
  const cursors = { '/listCustomers': await cursorOf('/listCustomers') };
  const tiny = new URL(links.tinyUrl).pathname.split('/').pop()!;
  return {
    merchant,
    links,
    paymentId: payments[0].id,
    deliveryId: deliveries[0].id,
    cursors,
    secrets: [merchant.locationId, links.customerId, payments[0].id, deliveries[0].id, links.token, tiny, `${name} memo`, `${name} Payer`, name],
  };
};

/** The same token with its last character changed: a link one typo away from someone's. */
const neighbour = (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;

type Probe = { route: RouteName; what: string; theirs: () => Promise<{ status: number; text: string }>; nobodys: () => Promise<{ status: number; text: string }> };

const asAnswer = (r: ApiResponse) => ({ status: r.status, text: r.text });

/** The probes of `prober` at `owner`'s ids, one or more per route. */
const probesOf = (prober: Tenant, owner: Tenant): Probe[] => {
  const m = prober.merchant;
  const get = (path: string, query: Record<string, string>) => async () => asAnswer(await m.call('GET', path, { query }));
  const post = (path: string, body: unknown) => async () => asAnswer(await m.call('POST', path, { body }));
  const tamper = (cursor: string) => `${cursor.slice(0, -2)}${cursor.slice(-2) === 'AA' ? 'BB' : 'AA'}`;
  const { url } = stackInfo();
  return [
    {
      route: 'setServiceLocation',
      what: "the other tenant's locationId in the body",
      theirs: post('/setServiceLocation', { name: 'Mallory', locationId: owner.merchant.locationId }),
      nobodys: post('/setServiceLocation', { name: 'Mallory', locationId: `loc_${ulid()}` }),
    },
    { route: 'getServiceLocation', what: 'own location only', theirs: get('/getServiceLocation', {}), nobodys: get('/getServiceLocation', {}) },
    { route: 'getCustomer', what: 'customer id', theirs: get('/getCustomer', { id: owner.links.customerId }), nobodys: get('/getCustomer', { id: unknown.cus }) },
    { route: 'listCustomers', what: 'cursor', theirs: get('/listCustomers', { cursor: owner.cursors['/listCustomers'] }), nobodys: get('/listCustomers', { cursor: tamper(owner.cursors['/listCustomers']) }) },
    { route: 'getStatement', what: 'customer id', theirs: get('/getStatement', { customerId: owner.links.customerId }), nobodys: get('/getStatement', { customerId: unknown.cus }) },
    { route: 'listPayments', what: 'customer id', theirs: get('/listPayments', { customerId: owner.links.customerId }), nobodys: get('/listPayments', { customerId: unknown.cus }) },
    { route: 'listNotifications', what: 'customer id', theirs: get('/listNotifications', { customerId: owner.links.customerId }), nobodys: get('/listNotifications', { customerId: unknown.cus }) },
    { route: 'listWebhookDeliveries', what: 'listing', theirs: get('/listWebhookDeliveries', { status: 'delivered' }), nobodys: get('/listWebhookDeliveries', { status: 'delivered' }) },
    { route: 'setCustomer', what: 'customer id', theirs: post('/setCustomer', { id: owner.links.customerId, firstName: 'Mallory' }), nobodys: post('/setCustomer', { id: unknown.cus, firstName: 'Mallory' }) },
    {
      route: 'setStatement',
      what: 'customer id',
      theirs: post('/setStatement', { customerId: owner.links.customerId, balanceDue: '1.00', billingDate: '2020-02-24' }),
      nobodys: post('/setStatement', { customerId: unknown.cus, balanceDue: '1.00', billingDate: '2020-02-24' }),
    },
    {
      route: 'setStatements',
      what: 'customer id in a bulk item',
      theirs: post('/setStatements', { statements: [{ customerId: owner.links.customerId, balanceDue: '1.00', billingDate: '2020-02-24' }] }),
      nobodys: post('/setStatements', { statements: [{ customerId: unknown.cus, balanceDue: '1.00', billingDate: '2020-02-24' }] }),
    },
    { route: 'refundPayment', what: 'payment id', theirs: post('/refundPayment', { paymentId: owner.paymentId, reason: 'duplicate' }), nobodys: post('/refundPayment', { paymentId: unknown.pay, reason: 'duplicate' }) },
    { route: 'replayWebhookDeliveries', what: 'delivery id', theirs: post('/replayWebhookDeliveries', { deliveryId: owner.deliveryId }), nobodys: post('/replayWebhookDeliveries', { deliveryId: unknown.dlv }) },
    {
      route: 'statementPage',
      what: "receipt of the other tenant's payment on one's own page",
      theirs: () => page(`${prober.links.statementUrl}?receipt=${owner.paymentId}`),
      nobodys: () => page(`${prober.links.statementUrl}?receipt=${unknown.pay}`),
    },
    {
      route: 'payStatement',
      what: 'pay form posted to a neighbour of the statement token',
      theirs: async () => page(`${url}/s/${neighbour(owner.links.token)}/pay`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'amount=1.00' }),
      nobodys: async () => page(`${url}/s/${'A'.repeat(owner.links.token.length)}/pay`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'amount=1.00' }),
    },
    {
      route: 'statementAttachment',
      what: 'statement link with a neighbour token',
      theirs: () => page(`${url}/s/${neighbour(owner.links.token)}/attachment`),
      nobodys: () => page(`${url}/s/${'A'.repeat(owner.links.token.length)}/attachment`),
    },
    {
      route: 'tinyLink',
      what: 'neighbour of a tiny code',
      theirs: () => page(`${url}/t/${neighbour(owner.secrets[5])}`),
      nobodys: () => page(`${url}/t/${'Z'.repeat(owner.secrets[5].length)}`),
    },
  ];
};

/**
 * Probes for routes added after these were written: the route's schema with each id field set to
 * the other tenant's id of that kind, against the same request with an id nobody has.
 */
const schemaProbes = (prober: Tenant, owner: Tenant, covered: Set<string>): Probe[] => {
  const idsOf: Record<string, string> = { cus: owner.links.customerId, pay: owner.paymentId, dlv: owner.deliveryId };
  return (Object.keys(ROUTES) as RouteName[])
    .filter((name) => !covered.has(name) && ROUTES[name].auth === 'apiKey')
    .flatMap((name) => {
      const route = ROUTES[name];
      const target = fuzzTarget(name, route);
      const where = route.method === 'GET' ? 'query' : 'body';
      const fields = Object.entries(fieldsOf(target.parts[where])).filter(([, s]) => /^\^(cus|pay|dlv)_/.test(JSON.stringify(s.pattern ?? s.anyOf ?? '')));
      return fields.map(([field, schema]): Probe => {
        const kind = /(cus|pay|dlv)_/.exec(JSON.stringify(schema))![1];
        const [base] = fc.sample(validValue(target.parts[where] ?? {}), { seed: 1, numRuns: 1 }) as Array<Record<string, unknown>>;
        const ask = (id: string) => async () => {
          const values = { ...base, [field]: id };
          const r = where === 'query' ? await prober.merchant.call('GET', route.path, { query: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])) }) : await prober.merchant.call('POST', route.path, { body: values });
          return asAnswer(r);
        };
        return { route: name, what: `${field} (from the schema)`, theirs: ask(idsOf[kind]), nobodys: ask(`${kind}_${ulid()}`) };
      });
    });
};

/** The merchant's view once two readings a second apart agree (the pipeline is done with it). */
const viewAtRest = async (merchant: Tenant['merchant']) => {
  let last = JSON.stringify(await merchantView(merchant));
  for (let i = 0; i < 30; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = JSON.stringify(await merchantView(merchant));
    if (now === last) return JSON.parse(now) as Awaited<ReturnType<typeof merchantView>>;
    last = now;
  }
  throw new Error('the merchant view did not come to rest in 30 s');
};

const closeLater: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closeLater.map((close) => close()));
  closeWebhookClients();
});

describe('two tenants probing each other', () => {
  it("answers another tenant's ids exactly like unknown ones on every route, and shows none of its data", async () => {
    const receiver = await startReceiver();
    closeLater.push(() => receiver.close());
    const a = await setUpTenant(`Acme Dental ${ulid().slice(-6)}`, receiver.url);
    const b = await setUpTenant(`Bolt Clinic ${ulid().slice(-6)}`, receiver.url);
    // The set-up's notifications finish on their own (sending → sent): compare from a view at rest.
    const before = { a: await viewAtRest(a.merchant), b: await viewAtRest(b.merchant) };

    const probesAt = (prober: Tenant, owner: Tenant, covered: Set<string>) => {
      const probes = probesOf(prober, owner);
      return [...probes, ...schemaProbes(prober, owner, new Set([...covered, ...probes.map((p) => p.route)]))].map((probe) => ({ ...probe, owner }));
    };
    const probes = [...probesAt(b, a, new Set()), ...probesAt(a, b, new Set())];
    const statusLeaks: string[] = [];
    const bodyLeaks: string[] = [];
    for (const { owner, ...probe } of probes) {
      const theirs = await probe.theirs();
      const nobodys = await probe.nobodys();
      if (JSON.stringify(comparable(theirs)) !== JSON.stringify(comparable(nobodys))) statusLeaks.push(`${probe.route} (${probe.what}): ${theirs.status} vs ${nobodys.status} ${theirs.text.slice(0, 120)}`);
      const found = owner.secrets.filter((secret) => theirs.text.includes(secret));
      if (found.length) bodyLeaks.push(`${probe.route} (${probe.what}): ${found.join(', ')}`);
    }
    const after = { a: await merchantView(a.merchant), b: await merchantView(b.merchant) };
    await receiver.close();

    const probed = new Set<string>(probes.map((p) => p.route));
    // A route added later whose schema names no id of another tenant (and has no hand-written probe) has nothing to probe.
    const withoutIds = Object.keys(ROUTES).filter((name) => !probed.has(name));
    const routesProbed = probed.size;
    fig.exactly('routes probed (of the manifest, less those naming no ids)', routesProbed, Object.keys(ROUTES).length - withoutIds.length);
    fig.note('routes naming no ids (not probed)', withoutIds.join(', ') || 'none');
    fig.note('probes (each: their id vs an unknown id)', probes.length);
    fig.exactly('answers that differ from the unknown-id answer', statusLeaks.length, 0);
    fig.exactly("answers showing the other tenant's data", bodyLeaks.length, 0);
    fig.record('both tenants’ data unchanged by the probes', JSON.stringify(after) === JSON.stringify(before) ? 'yes' : 'no', '= yes', JSON.stringify(after) === JSON.stringify(before));

    expect(statusLeaks).toEqual([]);
    expect(bodyLeaks).toEqual([]);
    expect(withoutIds.filter((name) => /(cus|pay|dlv)_/.test(JSON.stringify(fuzzTarget(name as RouteName, ROUTES[name as RouteName]).parts)))).toEqual([]);
    expect(after).toEqual(before);
  });
});
