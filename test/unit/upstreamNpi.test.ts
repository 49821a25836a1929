// The NPI picker's candidates: upstream's examples/disagg_serving/*_npi.yaml in the QEfficient checkout the
// environment probe imported QEfficient from (quic/efficient-transformers, v1.21.0 to main).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { nodeFileHost } from '../../src/core/nodeFileHost';
import { checkoutRoot, upstreamNpiCandidates } from '../../src/core/upstreamNpi';
import { repoRoot } from './repoRoot';

const host = (files: string[]) => ({ readFile: (p: string) => (files.includes(p) ? 'FP32NodeInstanceNames: [a]\n' : undefined) });
const INIT = '/src/efficient-transformers/QEfficient/__init__.py';
const DIR = '/src/efficient-transformers/examples/disagg_serving';

describe('upstream NPI files in the QEfficient checkout', () => {
  test('the checkout is the folder holding QEfficient/', () => {
    assert.equal(checkoutRoot(INIT), '/src/efficient-transformers');
  });

  test('both files, the one that fits the stage first', () => {
    const files = [`${DIR}/subfunction_120b_npi.yaml`, `${DIR}/non_subfunction_120b_npi.yaml`];
    assert.deepEqual(upstreamNpiCandidates(INIT, true, host(files)).map(c => [c.kind, c.fits]), [['subfunction', true], ['non_subfunction', false]]);
    assert.deepEqual(upstreamNpiCandidates(INIT, false, host(files)).map(c => [c.kind, c.fits]), [['non_subfunction', true], ['subfunction', false]]);
  });

  test('an installed wheel (no examples beside QEfficient/): none', () => {
    assert.deepEqual(upstreamNpiCandidates('/venv/lib/python3.10/site-packages/QEfficient/__init__.py', true, host([])), []);
  });

  test('the test double of a checkout (test/fake/python) holds both, under upstream\'s names', () => {
    const init = join(repoRoot(), 'test', 'fake', 'python', 'QEfficient', '__init__.py');
    assert.deepEqual(upstreamNpiCandidates(init, true, nodeFileHost).map(c => c.path.split('/').slice(-3).join('/')),
      ['examples/disagg_serving/subfunction_120b_npi.yaml', 'examples/disagg_serving/non_subfunction_120b_npi.yaml']);
  });
});
