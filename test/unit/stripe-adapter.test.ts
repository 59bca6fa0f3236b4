import { startStripeEmulator } from '../support/stripe-emulator';
import { declineCodeOf, stripeGateway } from '../../functions/shared/adapters/gateway/stripe';

const account = 'acct_1TestLocation00';

describe('the Stripe adapter against the emulate Stripe emulator', () => {
  let emulator: Awaited<ReturnType<typeof startStripeEmulator>>;
  beforeAll(async () => {
    emulator = await startStripeEmulator();
  });
  afterAll(() => emulator.close());

  const gateway = () => stripeGateway({ stripe: async () => emulator.stripe, account });
  const intent = (attempt: string, amount = 2500) =>
    emulator.stripe.paymentIntents.create({ amount, currency: 'usd', capture_method: 'manual', metadata: { attempt } }, { stripeAccount: account });

  it('releases a hold, and releasing it again (a rerun after Stripe\'s key window) finds it released', async () => {
    // Prepare
    const hold = await intent('race_1');

    // Act
    await gateway().void(hold.id, 'race_1:void');
    await gateway().void(hold.id, 'race_1:void-later');

    // Assess
    expect((await emulator.stripe.paymentIntents.retrieve(hold.id)).status).toBe('canceled');
  });

  it('refuses to "release" a payment that was already taken, rather than pretend', async () => {
    // Prepare
    const taken = await intent('taken_1');
    await emulator.stripe.paymentIntents.confirm(taken.id, { payment_method: 'pm_card_visa' }, { stripeAccount: account });

    // Act / Assess
    await expect(gateway().void(taken.id, 'taken_1:void')).rejects.toMatchObject({ code: 'payment_intent_unexpected_state' });
  });

  it('after the page\'s authentication step, accepts only the intent this attempt created, for its amount', async () => {
    // Prepare
    const mine = await intent('attempt_A', 2500);

    // Act / Assess: another attempt's intent, or another amount, is refused
    const after = (idempotencyKey: string, amountMinor: number) =>
      gateway().authorize({ idempotencyKey, amountMinor, currency: 'USD', description: 'x', source: { kind: 'after_action', reference: mine.id } });
    await expect(after('attempt_B', 2500)).rejects.toThrow(/does not belong to this attempt/);
    await expect(after('attempt_A', 2600)).rejects.toThrow(/does not belong to this attempt/);
    // Its own intent, still waiting for a card (the authentication failed): declined, nothing held.
    await expect(after('attempt_A', 2500)).resolves.toEqual({ status: 'declined', code: 'card_declined' });
  });
});

describe('Stripe decline reasons', () => {
  it.each([
    [{ code: 'card_declined', decline_code: 'insufficient_funds' }, 'insufficient_funds'],
    [{ code: 'expired_card' }, 'expired_card'],
    [{ code: 'incorrect_cvc' }, 'incorrect_cvc'],
    [{ code: 'processing_error' }, 'processing_error'],
    [{ code: 'card_declined', decline_code: 'stolen_card' }, 'card_declined'],
    [null, 'card_declined'],
  ] as const)('%p reads as %s', (error, code) => {
    // Act / Assess
    expect(declineCodeOf(error)).toBe(code);
  });
});
