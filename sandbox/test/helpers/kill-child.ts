import { spawn } from 'node:child_process';

/**
 * Runs a TypeScript child script (`node --require tsx/cjs`, so the script itself is the process
 * that dies, not a grandchild under the tsx CLI), feeds each line it prints to `onLine` until that
 * returns true, then SIGKILLs it and waits for it to exit: a crash at a moment the child chose.
 */
export async function runChildUntil(
  script: string,
  args: readonly string[],
  onLine: (line: string) => boolean,
): Promise<void> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (onLine(line)) resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
  });
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
