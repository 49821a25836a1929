// Test runner module loaded by the extension host (exports run(): Promise<void>), as with --extensionTestsPath.
// Started by test/e2e/run-ext-tests.js inside code-server's extension host. Loads every *.test.js in this
// folder into mocha (tdd ui: suite/test/setup/teardown). The extension host's console is not the driver's
// stdout, so the reporter output is mirrored into $MOCHA_REPORT_FILE, which the driver prints; it ends with
// the plain line `ext-tests: N passed, N failed`. MOCHA_GREP filters tests by full title.
'use strict';
const fs = require('fs');
const path = require('path');
const util = require('util');
const Mocha = require('mocha');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60000, ...(process.env.MOCHA_GREP ? { grep: process.env.MOCHA_GREP } : {}) });
  const out = process.env.MOCHA_REPORT_FILE;
  const write = s => { if (out) fs.appendFileSync(out, s + '\n'); };
  if (out) {
    fs.writeFileSync(out, '');
    const orig = Mocha.reporters.Base.consoleLog;
    Mocha.reporters.Base.consoleLog = (...a) => { write(util.format(...a)); orig(...a); };
  }
  const suffix = process.env.EXT_TESTS_SUFFIX || '.test.js'; // e.g. .untrusted.js for the untrusted-workspace run
  for (const f of fs.readdirSync(__dirname).filter(f => f.endsWith(suffix)).sort()) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run(failures => {
        const line = `ext-tests: ${runner.stats.passes} passed, ${runner.stats.failures} failed`;
        write(line);
        console.log(line);
        if (failures) reject(new Error(`${failures} tests failed.`)); else resolve();
      });
    } catch (e) { // a test file that does not load
      write(`could not load the tests: ${e && e.stack || e}`);
      write('ext-tests: 0 passed, 1 failed');
      reject(e);
    }
  });
};
