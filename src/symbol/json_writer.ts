/**
 * dmlc-core's `JSONWriter` layout (`include/dmlc/json.h`), which MXNet's `SaveJSON` pass uses.
 * Getting MXNet's exact text means copying its quirks:
 * - every scope is a counter plus a multi-line flag; in a multi-line scope each item is preceded
 *   by `", "` (after the first) and then a newline and 2 spaces per open scope, so every line
 *   that ends a non-last item ends with a trailing space;
 * - objects written field by field are multi-line, maps only with more than one entry, vectors
 *   only with more than 10 items (or non-POD items such as the nodes);
 * - strings escape only `\r \n \\ \t "`.
 */

interface Scope {
  readonly multiLine: boolean;
  count: number;
}

export class DmlcJsonWriter {
  private readonly parts: string[] = [];
  private readonly scopes: Scope[] = [];

  text(): string {
    return this.parts.join('');
  }

  beginObject(multiLine = true): void {
    this.parts.push('{');
    this.scopes.push({ multiLine, count: 0 });
  }

  endObject(): void {
    this.endScope('}');
  }

  beginArray(multiLine = false): void {
    this.parts.push('[');
    this.scopes.push({ multiLine, count: 0 });
  }

  endArray(): void {
    this.endScope(']');
  }

  /** Writes `"key": ` (with the separator before it); the caller then writes the value. */
  key(key: string): void {
    const scope = this.top();
    if (scope.count > 0) this.parts.push(', ');
    this.separator();
    this.parts.push(quote(key), ': ');
    scope.count += 1;
  }

  /** Starts the next array item (separator); the caller then writes the value. */
  item(): void {
    const scope = this.top();
    if (scope.count !== 0) this.parts.push(', ');
    scope.count += 1;
    this.separator();
  }

  string(value: string): void {
    this.parts.push(quote(value));
  }

  /** A non-negative integer or a plain number, as C++ streams print ints. */
  integer(value: number): void {
    this.parts.push(String(value));
  }

  /** A `std::map<string, string>`: inline when it has at most one entry, sorted keys. */
  stringMap(map: Readonly<Record<string, string>>): void {
    const keys = Object.keys(map).sort(compareBytes);
    this.beginObject(keys.length > 1);
    for (const k of keys) {
      this.key(k);
      this.string(map[k]!);
    }
    this.endObject();
  }

  /** A `std::vector<uint32_t>`: inline up to 10 items. */
  integerArray(values: readonly number[]): void {
    this.beginArray(values.length > 10);
    for (const v of values) {
      this.item();
      this.integer(v);
    }
    this.endArray();
  }

  /** A vector of node entries (POD structs): inline up to 10 entries, each entry inline. */
  entryArray(entries: readonly (readonly number[])[]): void {
    this.beginArray(entries.length > 10);
    for (const e of entries) {
      this.item();
      this.integerArray(e);
    }
    this.endArray();
  }

  private top(): Scope {
    const scope = this.scopes[this.scopes.length - 1];
    if (!scope) throw new Error('DmlcJsonWriter: no open scope');
    return scope;
  }

  private separator(): void {
    if (this.scopes.length === 0 || this.scopes[this.scopes.length - 1]!.multiLine) {
      this.parts.push('\n', ' '.repeat(this.scopes.length * 2));
    }
  }

  private endScope(close: string): void {
    const scope = this.scopes.pop();
    if (!scope) throw new Error('DmlcJsonWriter: unbalanced scope');
    if (scope.multiLine && scope.count !== 0) this.separator();
    this.parts.push(close);
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '\r': '\\r', '\n': '\\n', '\\': '\\\\', '\t': '\\t', '"': '\\"' };

/** dmlc's `WriteString`: only these five characters are escaped; everything else is written raw. */
function quote(value: string): string {
  return `"${value.replace(/[\r\n\\\t"]/g, (ch) => ESCAPES[ch]!)}"`;
}

/** std::map orders keys by UTF-8 bytes, which is code point order (not UTF-16 unit order). */
function compareBytes(a: string, b: string): number {
  const ca = Array.from(a, (ch) => ch.codePointAt(0)!);
  const cb = Array.from(b, (ch) => ch.codePointAt(0)!);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i]! - cb[i]!;
  return ca.length - cb.length;
}
