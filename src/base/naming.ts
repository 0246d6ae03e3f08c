import { ValueError } from './errors';

/**
 * MXNet's automatic node naming: a counter per hint (the lower-cased front-end function name),
 * global for the session, so the first `FullyConnected` is `fullyconnected0` in any graph.
 */
export class NameManager {
  private readonly counters = new Map<string, number>();

  /** The user's name unchanged, else `hint + counter` (an empty name counts as none, as in Python). */
  get(name: string | undefined, hint: string): string {
    if (name) return name;
    const count = this.counters.get(hint) ?? 0;
    this.counters.set(hint, count + 1);
    return `${hint}${count}`;
  }
}

/** Puts a prefix before every name, user-given ones included (MXNet's `mx.name.Prefix`). */
export class Prefix extends NameManager {
  constructor(readonly prefix: string) {
    super();
  }

  override get(name: string | undefined, hint: string): string {
    return this.prefix + super.get(name, hint);
  }
}

let currentManager = new NameManager();

/** The name manager that names nodes created now (the innermost of {@link withNameManager}). */
export function current(): NameManager {
  return currentManager;
}

/** Runs `body` with `manager` as the naming scope (Python's `with mx.name.NameManager():`). */
export function withNameManager<T>(manager: NameManager, body: () => T): T {
  const previous = currentManager;
  currentManager = manager;
  try {
    return body();
  } finally {
    currentManager = previous;
  }
}

type Attrs = Readonly<Record<string, string>>;
let currentAttrs: Attrs = Object.freeze({});

/** Attributes every op and variable created inside `body` receives (Python's `mx.AttrScope`). */
export function withAttrScope<T>(attrs: Record<string, string>, body: () => T): T {
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value !== 'string') throw new ValueError({ op: 'AttrScope', argument: key }, `must be a string, got ${typeof value}`);
  }
  const previous = currentAttrs;
  currentAttrs = Object.freeze({ ...previous, ...attrs });
  try {
    return body();
  } finally {
    currentAttrs = previous;
  }
}

/** The attributes {@link withAttrScope} currently adds to every node created. */
export function currentAttrScope(): Attrs {
  return currentAttrs;
}
