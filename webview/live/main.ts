// The live view's entry point: a real process's address space.
import '../elements';
import '../main.css';
import '../scenario/scenario.css';
import './live.css';
import { LiveApp } from './app';
import { LiveClient } from './live-client';

const api = acquireVsCodeApi();
const root = document.getElementById('root');
if (root) void new LiveApp(root, new LiveClient(api), api).start();
