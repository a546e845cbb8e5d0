/** The scenario commands package.json contributes. */
export const COMMANDS = {
  run: 'addressSpaceExplorer.runScenario',
  stepForward: 'addressSpaceExplorer.stepForward',
  stepBack: 'addressSpaceExplorer.stepBack',
  goToLineState: 'addressSpaceExplorer.goToLineState',
  newFromExample: 'addressSpaceExplorer.newScenarioFromExample',
  showPanel: 'addressSpaceExplorer.showScenarioPanel',
  compareWithRealSmaps: 'addressSpaceExplorer.compareWithRealSmaps',
  translateAddress: 'addressSpaceExplorer.translateAddress',
} as const;
