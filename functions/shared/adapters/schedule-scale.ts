import { optionalEnv } from './env';
import { ENV } from '../manifest';

/** `ENV.scheduleTimeScale`: 1 deployed; the local test stack compresses a day into a second. */
export const scheduleTimeScale = (): number => {
  const scale = Number(optionalEnv(ENV.scheduleTimeScale, '1'));
  return Number.isFinite(scale) && scale >= 1 ? scale : 1;
};
