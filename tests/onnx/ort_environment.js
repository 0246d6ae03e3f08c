/**
 * Jest's node environment with the host's typed-array constructors. onnxruntime-node's native
 * binding makes its output arrays in the host realm, and onnxruntime-common checks them with
 * `instanceof Float32Array` in the test's realm: sharing the constructors makes the check pass.
 * Used by the ONNX tests through a `@jest-environment` docblock.
 */
const { TestEnvironment } = require('jest-environment-node');

const TYPED = ['Float32Array', 'Float64Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Uint8Array', 'Uint16Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array', 'ArrayBuffer'];

class OrtEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED) this.global[name] = globalThis[name];
  }
}

module.exports = OrtEnvironment;
