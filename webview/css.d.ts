// esbuild bundles stylesheets imported from TypeScript into dist/webview/main.css.
declare module '*.css';
