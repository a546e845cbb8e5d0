// The ELF view's entry point.
import './elements';
import './main.css';
import { App } from './app';
import { HostClient } from './host-client';

const api = acquireVsCodeApi();
const root = document.getElementById('root');
if (root) void new App(root, new HostClient(api), api).start();
