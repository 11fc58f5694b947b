// The sandbox's entry point for the web app in development (`sandbox/dev`): what a Next.js server
// needs to talk to the sandbox. The web app imports nothing else of the sandbox.
export { installSandboxFetch } from './routing/fetch-dispatcher';
