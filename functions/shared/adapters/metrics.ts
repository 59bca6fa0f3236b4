import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS, type MetricKey } from '../manifest';

/*
 * Apart from the logger (shared/adapters/powertools.ts) so that only the functions that emit
 * metrics bundle Powertools Metrics (about 15 KB).
 */

/** Powertools Metrics (EMF on stdout) in the manifest's namespace; the `service` dimension is added to every metric. */
export const metrics = new Metrics({ namespace: METRICS.namespace, serviceName: METRICS.service });

type DimensionName = keyof typeof METRICS.dimensions;

/**
 * Emits one metric from `METRICS` at once, as its own EMF line, with exactly the dimension its
 * manifest entry names (a single metric, so no other dimension sticks to it).
 */
export const emitMetric = (key: MetricKey, value = 1, dimensionValue?: string): void => {
  const spec = METRICS.metrics[key] as { name: string; unit: string; dimension?: DimensionName };
  const single = metrics.singleMetric();
  if (spec.dimension && dimensionValue) single.addDimension(METRICS.dimensions[spec.dimension], dimensionValue);
  single.addMetric(spec.name, spec.unit as (typeof MetricUnit)[keyof typeof MetricUnit], value);
};
