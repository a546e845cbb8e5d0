// The scenario panel's entry point.
import '../elements';
import '../main.css';
import './scenario.css';
import { ScenarioApp } from './app';
import { PanelClient } from './panel-client';

const api = acquireVsCodeApi();
const root = document.getElementById('root');
if (root) {
  const app = new ScenarioApp(root, new PanelClient(api), api);
  // The benchmark reads the paint times from the page.
  (globalThis as { asxScenarioPanel?: ScenarioApp }).asxScenarioPanel = app;
  void app.start();
}
