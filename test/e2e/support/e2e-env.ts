/** How the driver tells the e2e suites (same process) where things are. */
export const E2E_ENV = {
  url: 'ASX_E2E_URL',
  workspace: 'ASX_E2E_WORKSPACE',
  root: 'ASX_E2E_ROOT',
  docsImages: 'ASX_E2E_DOCS_IMAGES',
  vsix: 'ASX_E2E_VSIX',
} as const;

export function e2eEnv(name: keyof typeof E2E_ENV): string {
  const value = process.env[E2E_ENV[name]];
  if (!value) throw new Error(`${E2E_ENV[name]} is not set: run the e2e suites through npm run test:vscode`);
  return value;
}
