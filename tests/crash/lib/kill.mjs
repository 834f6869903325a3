// Starting and killing the server under test, by its own pid.
import { setTimeout as sleep } from 'node:timers/promises';

// SIGKILL to the server's process (the child this driver started), then
// waits for it to be gone.
export async function kill(server) {
  if (server.proc && server.proc.exitCode === null && server.proc.signalCode === null) {
    process.kill(server.proc.pid, 'SIGKILL');
  }
  await server.exited;
}

// Spawns the server and kills it `delayMs` after the spawn, whether or not it
// has started listening by then. Resolves {listened}.
export async function startAndKillAfter(server, delayMs) {
  let listened = false;
  const started = server.start().then(() => { listened = true; }, () => {});
  await sleep(delayMs);
  await kill(server);
  await started;
  return { listened };
}
