import { epochSecond, firstSecondToTry, PACING_HORIZON_SECONDS, SendDeferred, slotsPast, slotTime, type PacedChannel } from '../../domain/send-pacing';
import { ENV, SEND_RATES } from '../manifest';
import { sendSlots } from '../repos';
import { clock } from './clock';
import { optionalEnv } from './env';

const rates: Record<PacedChannel, number> = {
  sms: Number(optionalEnv(ENV.smsSendRatePerSecond, String(SEND_RATES.sms))),
  email: Number(optionalEnv(ENV.emailSendRatePerSecond, String(SEND_RATES.email))),
};

/** How many slot intervals late a booked slot may still be used. */
const STALE_SLOT_SLOTS = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The latest second this process found full, per channel. A second's counter only grows, so a full
 * second stays full: later bookings start after it instead of paying a refused write for each full
 * second again (under a statement run most jobs would otherwise try two or three).
 */
const fullUpTo = new Map<PacedChannel, number>();
const markFull = (channel: PacedChannel, second: number) => fullUpTo.set(channel, Math.max(fullUpTo.get(channel) ?? 0, second));

/**
 * Waits for a send slot of the channel, so that all workers together never send faster than its
 * configured rate: books the first free slot in this second or the next few (one conditional
 * UpdateItem per second tried, none for a second this process already found full; a slot already long past is skipped) and sleeps until its time. When every slot within the horizon is
 * taken it throws `SendDeferred` with the time to come back, and the job waits in the queue.
 */
export const awaitSendSlot = async (channel: PacedChannel): Promise<void> => {
  const rate = rates[channel];
  if (!(rate > 0)) return;
  const now = clock.now();
  const first = epochSecond(now);
  for (let second = firstSecondToTry(first, fullUpTo.get(channel)); second <= first + PACING_HORIZON_SECONDS; second += 1) {
    const taken = await sendSlots().take(channel, second, rate, slotsPast(second, now, rate));
    if (taken === undefined) {
      markFull(channel, second);
      continue;
    }
    const wait = slotTime(second, taken, rate).getTime() - clock.now().getTime();
    // A slot long past (the workers fell behind) is lost, as a provider's token bucket would lose it:
    // using it would send in a burst. Book a later one instead.
    if (wait < -STALE_SLOT_SLOTS * (1000 / rate)) continue;
    if (wait > 0) await sleep(wait);
    return;
  }
  // Jitter, so that the jobs deferred together do not all come back in the same second.
  throw new SendDeferred(new Date((first + PACING_HORIZON_SECONDS + 1) * 1000 + Math.floor(Math.random() * 2000)), `No ${channel} send slot free within ${PACING_HORIZON_SECONDS} s at ${rate}/s.`);
};
