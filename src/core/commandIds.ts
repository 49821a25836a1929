// The command ids and context keys of the extension, in one place: package.json contributes the same ids
// (test/unit/rules.test.ts holds the two equal), and code refers to them by these names.
export const COMMANDS = {
  pickNpiFile: 'qeffDisagg.pickNpiFile',
  export: 'qeffDisagg.export',
  compile: 'qeffDisagg.compile',
  exportAndCompile: 'qeffDisagg.exportAndCompile',
  cancel: 'qeffDisagg.cancel',
  showOutput: 'qeffDisagg.showOutput',
  selectInterpreter: 'qeffDisagg.selectInterpreter',
  checkEnvironment: 'qeffDisagg.checkEnvironment',
  showScript: 'qeffDisagg.showScript',
  copyCompileCommand: 'qeffDisagg.copyCompileCommand',
  runCompileCommand: 'qeffDisagg.runCompileCommand',
  saveCompileCommand: 'qeffDisagg.saveCompileCommand',
  newConfig: 'qeffDisagg.newConfig',
  editInWizard: 'qeffDisagg.editInWizard',
  importScript: 'qeffDisagg.importScript',
  showLog: 'qeffDisagg.showLog',
  showProblems: 'qeffDisagg.showProblems',
  refreshView: 'qeffDisagg.refreshView',
  serve: 'qeffDisagg.serve',
  stopServing: 'qeffDisagg.stopServing',
  sendTestPrompt: 'qeffDisagg.sendTestPrompt',
  showServeCommand: 'qeffDisagg.showServeCommand',
  saveServeScript: 'qeffDisagg.saveServeScript',
} as const;

/** Context key: a run is going (menus and Cancel read it). */
export const RUNNING_CONTEXT = 'qeffDisagg.isRunning';
