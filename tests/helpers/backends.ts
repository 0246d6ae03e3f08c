/**
 * Runs a block of tests once per backend, as TensorFlow.js's ALL_ENVS does: each `describe` gets
 * the backend made process-wide for its duration, so executors and `mx.nd` calls inside run on it.
 */
import type { Backend, BackendName } from '../../src/backend/backend';
import { backendNamed, getBackend, setBackend } from '../../src/backend/select';
import { wasmSimdAvailable } from '../../src/backend/wasm/index';

/** Every backend this host can run. */
export const BACKENDS: readonly BackendName[] = wasmSimdAvailable() ? ['reference', 'wasm'] : ['reference'];

export function describeEachBackend(title: string, body: (backend: Backend) => void): void {
  for (const name of BACKENDS) {
    describe(`${title} [${name}]`, () => {
      let previous: BackendName;
      beforeAll(() => {
        previous = getBackend();
        setBackend(name);
      });
      afterAll(() => setBackend(previous));
      body(backendNamed(name));
    });
  }
}

/** A forward/backward context on the process-wide backend, for tests that call op definitions directly. */
export function testContext(isTrain = true, workspaceSize = 0) {
  return { isTrain, workspace: new Float32Array(workspaceSize), kernels: backendNamed(getBackend()).kernels, state: undefined };
}
