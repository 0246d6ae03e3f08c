/** MXNet's attribute conventions: hidden `__word__` keys and how front-end options map onto them. */
import { ParamError } from '../base/errors';
import { pyStr } from '../base/pystr';

/** Attribute words MXNet stores as `__word__` and reports under both spellings. */
export const HIDDEN_WORDS = ['ctx_group', 'lr_mult', 'wd_mult', 'force_mirroring', 'mirror_stage'] as const;

export function isHiddenKey(key: string): boolean {
  return /^__.+__$/.test(key);
}

/**
 * The hidden attribute an op option stands for (`lr_mult` -> `__lr_mult__`), or undefined.
 * `weight_lr_mult`-style keys are rejected, as in MXNet 1.x.
 */
export function hiddenAttrFor(key: string, site: { op: string; node?: string | undefined }): string | undefined {
  if (isHiddenKey(key)) return key;
  for (const word of HIDDEN_WORDS) {
    if (key === word) return `__${word}__`;
    if (key.endsWith(`_${word}`)) {
      throw new ParamError({ ...site, argument: key }, `is no longer supported: set ${word} on the variable '${key.slice(0, -word.length - 1)}' instead`);
    }
  }
  return undefined;
}

/** The string MXNet would store for a value the user passed (strings are kept as given). */
export function attrString(value: unknown): string {
  return typeof value === 'string' ? value : pyStr(value);
}

/** `attr(key)` lookup: the key itself, then, for the hidden words only, `__key__`. */
export function lookupAttr(attrs: Readonly<Record<string, string>>, key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(attrs, key)) return attrs[key];
  const hidden = `__${key}__`;
  const isHiddenWord = (HIDDEN_WORDS as readonly string[]).includes(key);
  return isHiddenWord && Object.prototype.hasOwnProperty.call(attrs, hidden) ? attrs[hidden] : undefined;
}

/**
 * A user attribute dict as MXNet stores it: values must be strings, hidden words become
 * `__word__`, and `<input>_<word>` keys are rejected (MXSymbolSetAttr's rule).
 */
export function normalizeAttrs(attrs: Readonly<Record<string, unknown>>, site: { op: string; node?: string | undefined }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value !== 'string') throw new ParamError({ ...site, argument: key }, `attribute values must be strings, got ${typeof value}`);
    out[hiddenAttrFor(key, site) ?? key] = value;
  }
  return out;
}

/** `list_attr()`: the dict with each hidden word also under its plain name. */
export function withAliases(attrs: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = { ...attrs };
  for (const word of HIDDEN_WORDS) {
    const hidden = attrs[`__${word}__`];
    if (hidden !== undefined) out[word] = hidden;
  }
  return out;
}
