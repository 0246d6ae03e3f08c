/**
 * The browser page: runs the blog's experiments with mxts in the page and shows, per experiment,
 * the forward output, the gradient of m and the network as plotNetwork draws it.
 */
import * as mx from 'mxts';
import { SHAPES, blogExperiments } from './experiments';

function table(kind: string, values: readonly number[]): HTMLTableElement {
  const t = document.createElement('table');
  t.className = kind;
  for (let r = 0; r < SHAPES.m[0]; r++) {
    const row = t.insertRow();
    for (let c = 0; c < SHAPES.m[1]; c++) {
      const cell = row.insertCell();
      const v = values[r * SHAPES.m[1] + c]!;
      cell.dataset['value'] = String(v);
      cell.textContent = v.toFixed(7);
    }
  }
  return t;
}

async function main(): Promise<void> {
  const root = document.getElementById('experiments')!;
  for (const e of blogExperiments()) {
    const section = document.createElement('section');
    section.id = e.id;
    section.innerHTML = `<h2></h2><p class="why"></p><div class="row"><div><h3>forward: exec.outputs[0]</h3></div><div><h3>backward: exec.gradDict.m</h3></div><div class="network"></div></div>`;
    section.querySelector('h2')!.textContent = e.title;
    section.querySelector('.why')!.textContent = e.why;
    const [forward, gradient] = section.querySelectorAll('.row > div');
    forward!.append(table('forward', e.forward));
    gradient!.append(table('gradient', e.gradient));
    section.querySelector('.network')!.innerHTML = await mx.viz.plotNetwork(e.symbol, { shape: SHAPES, title: e.id }).toSVG();
    root.append(section);
  }
}

const status = document.getElementById('status')!;
main().then(
  () => {
    status.textContent = 'done';
    document.body.dataset['status'] = 'done';
  },
  (error: unknown) => {
    status.textContent = `failed: ${String(error)}`;
    document.body.dataset['status'] = 'failed';
  },
);
