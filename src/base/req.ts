/** What a kernel does with an output buffer: overwrite, accumulate, or leave it alone. */
export type Req = 'write' | 'add' | 'null';
