// The commands that produce an outputs file. Browser-safe (no file system), because the setup
// message is also rendered by the Pages Router's guest pages, whose modules get a client build.
export { DEPLOY_COMMAND } from '@image-share/contracts/outputs';
export const SANDBOX_COMMAND = 'pnpm start';
