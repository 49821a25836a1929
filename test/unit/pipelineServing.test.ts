// The serving state the view and the lenses show: its moves on the session's events, the line that says why a
// start failed, the description, and where the "serving" lenses go.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { servingLensOffset } from '../../src/core/pipeline/lensModel';
import {
  firstErrorLine, nextServingState, servingDescription, servingLive, servingShown, type ServingEvent, type ServingState,
} from '../../src/core/pipeline/servingState';

const CONFIG = 'file:///w/deploy.qeff.json';
const WORDS = { starting: 'starting', ready: 'ready', failed: 'failed' };
const run = (events: ServingEvent[], from?: ServingState) => events.reduce<ServingState | undefined>(nextServingState, from);
const start: ServingEvent = { type: 'start', config: CONFIG, port: 8123, at: 1 };

describe('serving state', () => {
  test('start → starting at http://127.0.0.1:<port>/v1; ready keeps the endpoint and adds the model', () => {
    const starting = run([start]);
    assert.deepEqual(starting, { config: CONFIG, endpoint: 'http://127.0.0.1:8123/v1', phase: 'starting', at: 1 });
    assert.equal(servingDescription(starting!, WORDS), 'starting · http://127.0.0.1:8123/v1');
    const ready = run([{ type: 'ready', model: 'openai/gpt-oss-20b', at: 2 }], starting);
    assert.equal(ready?.phase, 'ready');
    assert.equal(ready?.model, 'openai/gpt-oss-20b');
    assert.equal(servingDescription(ready!, WORDS), 'ready · http://127.0.0.1:8123/v1');
    assert.ok(servingLive(ready, CONFIG));
    assert.ok(!servingLive(ready, 'file:///w/other.qeff.json'), 'another config is not the one served');
  });

  test('Stop: stopped, which the view does not show; a second Stop changes nothing', () => {
    const stopped = run([start, { type: 'ready', at: 2 }, { type: 'stop', at: 3 }]);
    assert.equal(stopped?.phase, 'stopped');
    assert.ok(!servingShown(stopped));
    assert.ok(!servingLive(stopped, CONFIG));
    assert.equal(nextServingState(stopped, { type: 'stop', at: 4 }), stopped);
    assert.equal(nextServingState(undefined, { type: 'stop', at: 4 }), undefined);
  });

  test('no answer in time: failed with the message, kept through the session\'s own stop; a user Stop clears it', () => {
    const message = 'qaic_disagg did not answer on http://127.0.0.1:8123/v1/models in 30 minutes: stopped.';
    const timedOut = run([start, { type: 'timeout', message, at: 2 }]);
    assert.deepEqual([timedOut?.phase, timedOut?.message], ['failed', message]);
    assert.equal(servingDescription(timedOut!, WORDS), `failed: ${message}`);
    const afterOwnStop = run([{ type: 'stop', keepFailure: true, at: 3 }], timedOut);
    assert.equal(afterOwnStop, timedOut, 'the stop that follows the timeout keeps the failure shown');
    assert.equal(run([{ type: 'stop', at: 4 }], afterOwnStop)?.phase, 'stopped');
    const ready = run([start, { type: 'ready', at: 2 }]);
    assert.equal(nextServingState(ready, { type: 'timeout', message, at: 3 }), ready, 'a ready endpoint cannot time out');
  });

  test('an exit of its own, before or after ready: failed with the first error line; Stop clears it', () => {
    const tail = ['INFO prefill: starting instance on port 9001, devices [0]', 'ERROR qaic_disagg: no programqpc.bin at /q/qpc', 'INFO bye'];
    const early = run([start, { type: 'exit', tail, how: 'code 1', at: 2 }]);
    assert.equal(early?.phase, 'failed');
    assert.equal(servingDescription(early!, WORDS), 'failed: ERROR qaic_disagg: no programqpc.bin at /q/qpc');
    assert.ok(servingShown(early) && !servingLive(early, CONFIG));
    const late = run([start, { type: 'ready', at: 2 }, { type: 'exit', tail: [], how: 'signal SIGKILL', at: 3 }]);
    assert.equal(late?.message, 'exited (signal SIGKILL)', 'no output: how it ended');
    assert.equal(run([{ type: 'stop', at: 4 }], early)?.phase, 'stopped');
    assert.equal(run([start], early)?.phase, 'starting', 'a new Serve replaces the failure');
  });

  test('an exit after Stop stays stopped; ready after an exit is ignored', () => {
    const stopped = run([start, { type: 'stop', at: 2 }]);
    assert.equal(nextServingState(stopped, { type: 'exit', tail: ['ERROR x'], how: 'code 1', at: 3 }), stopped);
    const failed = run([start, { type: 'exit', tail: ['ERROR x'], how: 'code 1', at: 2 }]);
    assert.equal(nextServingState(failed, { type: 'ready', at: 3 }), failed);
  });

  test('the first error line: argparse\'s "error:", a log level, an exception (not the Traceback header), else the last line', () => {
    // argparse prints the usage, then "prog: error: …" and exits 2 (CPython Lib/argparse.py ArgumentParser.error).
    assert.equal(firstErrorLine(['usage: qaic_disagg [-h] ...', "qaic_disagg: error: argument --router-policy: invalid choice: 'bogus'"]),
      "qaic_disagg: error: argument --router-policy: invalid choice: 'bogus'");
    assert.equal(firstErrorLine(['Traceback (most recent call last):', '  File "x.py", line 3, in <module>', 'ValueError: bad qpc_path']),
      'ValueError: bad qpc_path');
    assert.equal(firstErrorLine(['INFO starting', '  Killed  ', '']), 'Killed');
    assert.equal(firstErrorLine(['', '  ']), undefined);
    const long = firstErrorLine([`ERROR ${'x'.repeat(500)}`]);
    assert.equal(long?.length, 200);
    assert.ok(long?.endsWith('…'));
  });
});

describe('serving lens position', () => {
  test('the offset of the "serving" key when it holds an object; nothing otherwise', () => {
    const text = '{\n  "model": "openai/gpt-oss-20b",\n  "serving": { "port": 8000 }\n}';
    const at = servingLensOffset(text);
    assert.equal(at === undefined ? undefined : text.slice(at, at + 9), '"serving"');
    assert.equal(servingLensOffset('{"serving": 3}'), undefined);
    assert.equal(servingLensOffset('{"model": "m"}'), undefined);
    assert.equal(servingLensOffset('[1]'), undefined);
  });
});
