/**
 * Kernel families join into one table. Each family is a plain object of functions on typed arrays;
 * two families defining the same kernel name would silently shadow one another, so joining them
 * checks for it once, when the module loads.
 */
type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;

export function joinKernels<F extends readonly object[]>(...families: F): UnionToIntersection<F[number]> {
  const table: Record<string, unknown> = Object.create(null);
  for (const family of families) {
    for (const [name, kernel] of Object.entries(family)) {
      if (name in table) throw new Error(`kernel '${name}' is defined by two kernel families`);
      table[name] = kernel;
    }
  }
  return Object.freeze(table) as UnionToIntersection<F[number]>;
}
