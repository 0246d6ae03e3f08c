/**
 * Records keyed by user-chosen names (argument, parameter, output, metric names). A name may be
 * `__proto__`, `constructor` or `toString`, so these records have no prototype and lookups read
 * own properties only.
 */

/** An empty prototype-free record. */
export function nameRecord<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const [key, value] of entries) out[key] = value;
  return out;
}

/** `record[key]` when `key` is the record's own property, else undefined (never an inherited value). */
export function ownValue<T>(record: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return record != null && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
