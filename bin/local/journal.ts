import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * An append-only JSON Lines file that keeps what the local runtime sent (SMS, email) across a
 * restart, as DynamoDB Local keeps the table. Without a file it keeps nothing.
 */
export interface Journal<T> {
  /** What earlier runs wrote, oldest first. */
  readonly earlier: T[];
  append(entry: T): void;
}

export const openJournal = <T>(file: string | undefined): Journal<T> => {
  if (!file) return { earlier: [], append: () => undefined };
  mkdirSync(path.dirname(file), { recursive: true });
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    /* first run */
  }
  // A line cut short by a crash mid-write is dropped, not fatal.
  const earlier = text.split('\n').flatMap((line) => {
    try {
      return line.trim() ? [JSON.parse(line) as T] : [];
    } catch {
      return [];
    }
  });
  return { earlier, append: (entry) => appendFileSync(file, `${JSON.stringify(entry)}\n`) };
};
