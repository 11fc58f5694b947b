#!/usr/bin/env node
/* global console, setTimeout -- Node globals the shared CommonJS lint block does not list. */
// watchdog.cjs <command> [args...]: runs the command in its own process group and takes the whole
// group down when this process's stdin closes. The test run holds the other end of that pipe, so
// the web server goes away however the run ends: a clean stop, Ctrl-C, a crash, or a SIGKILL.
const { spawn } = require('node:child_process');

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: watchdog.cjs <command> [args...]');
  process.exit(2);
}
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true });

function signalGroup(signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  signalGroup('SIGTERM');
  setTimeout(() => signalGroup('SIGKILL'), 5000).unref();
}

process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, stop);

child.on('error', (error) => {
  console.error(`watchdog: cannot start ${command}: ${error.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  // Whatever the command left behind in its group goes too.
  signalGroup('SIGKILL');
  process.exit(code ?? (signal ? 128 : 1));
});
