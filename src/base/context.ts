/** Device context. mxts computes on the CPU only; the type exists so MXNet scripts port as they are. */
export class Context {
  constructor(
    readonly deviceType: 'cpu' = 'cpu',
    readonly deviceId = 0,
  ) {}

  toString(): string {
    return `${this.deviceType}(${this.deviceId})`;
  }
}

/**
 * The CPU context (MXNet's `mx.cpu()`), the only device mxts runs on; `bind` takes it first.
 *
 * @example
 * ```ts
 * const exec = net.simpleBind(mx.cpu(), { shapes: { data: [8, 4] } });
 * ```
 */
export function cpu(deviceId = 0): Context {
  return new Context('cpu', deviceId);
}
