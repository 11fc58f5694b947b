// Runs once when the Next.js server starts. next.config.ts already reported the outputs file;
// here the server's S3 traffic is pointed at the sandbox before the first request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { loadConfig } = await import('./lib/config');
  const result = loadConfig();
  if (result.ok && result.config.amplify.sandboxEndpoint) {
    const { installSandboxFetch } = await import('sandbox/dev');
    installSandboxFetch(result.config.amplify.sandboxEndpoint);
  }
}
