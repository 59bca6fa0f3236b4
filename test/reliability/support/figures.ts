import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where each reliability test file leaves its figures; the figures reporter reads them. */
export const FIGURES_DIR = path.resolve(__dirname, '..', '..', '..', 'test-artifacts', 'reliability');

export interface Figure {
  area: string;
  figure: string;
  value: string | number;
  /** What the figure must be, e.g. `0` or `>= 2000`. */
  bound: string;
  met: boolean;
}

/**
 * The figures of one area (one test file). `record` keeps a figure and rewrites the area's file at
 * once, so a later failure in the same file still leaves what was measured before it. Recording is
 * not asserting: each test asserts its figures with `expect` too.
 */
export const figures = (area: string) => {
  const rows: Figure[] = [];
  const file = path.join(FIGURES_DIR, `${area.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.json`);
  return {
    record(figure: string, value: string | number, bound: string, met: boolean) {
      rows.push({ area, figure, value, bound, met });
      mkdirSync(FIGURES_DIR, { recursive: true });
      writeFileSync(file, JSON.stringify(rows, null, 2));
    },
    /** Records a figure that must equal `expected`. */
    exactly(figure: string, value: number, expected: number) {
      this.record(figure, value, `= ${expected}`, value === expected);
    },
    atLeast(figure: string, value: number, minimum: number) {
      this.record(figure, value, `>= ${minimum}`, value >= minimum);
    },
    /** A figure reported for context, with no bound of its own. */
    note(figure: string, value: string | number) {
      rows.push({ area, figure, value, bound: '', met: true });
      mkdirSync(FIGURES_DIR, { recursive: true });
      writeFileSync(file, JSON.stringify(rows, null, 2));
    },
  };
};
