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

export function cpu(deviceId = 0): Context {
  return new Context('cpu', deviceId);
}
