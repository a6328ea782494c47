// Starts the real llm-gateway binary (`serve` on an ephemeral port) with a config of ours,
// and stops it with SIGTERM, checking that it exits cleanly.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export function binary() {
  if (process.env.LLM_GATEWAY_BIN) return process.env.LLM_GATEWAY_BIN;
  for (const dir of ['build-test', 'build']) {
    const p = join(here, '..', '..', '..', dir, 'app', 'llm-gateway');
    if (existsSync(p)) return p;
  }
  throw new Error('llm-gateway binary not found: build it or set LLM_GATEWAY_BIN');
}

export async function startGateway(config, env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'llmgw-e2e-'));
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(config));
  const child = spawn(binary(), ['serve', '127.0.0.1:0', '--config', configPath], {
    cwd: dir, // no stray .env from the repository
    env: {
      PATH: process.env.PATH, HOME: dir, ...env,
      ...(process.env.ASAN_OPTIONS ? { ASAN_OPTIONS: process.env.ASAN_OPTIONS } : {}),
      ...(process.env.UBSAN_OPTIONS ? { UBSAN_OPTIONS: process.env.UBSAN_OPTIONS } : {}),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  if (process.env.LLM_GATEWAY_E2E_LOG) child.stderr.pipe(process.stderr);
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${stderr}`)), 10000);
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = stderr.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`gateway exited (${code}):\n${stderr}`)); });
  });
  return {
    url,
    pid: child.pid,
    logs: () => stderr,
    // The log once `re` matches it (a request's line is written after its response has ended,
    // on the gateway's thread, which the client may see first), or as it is after `ms`.
    async logsMatching(re, ms = 5000) {
      for (const end = Date.now() + ms; !re.test(stderr) && Date.now() < end;) await new Promise((r) => setTimeout(r, 10));
      return stderr;
    },
    async stop() {
      // Already gone (exited, or killed by a signal such as a sanitizer's abort).
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode;
      const code = await new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.on('exit', (c, sig) => resolve(c ?? sig));
        child.kill('SIGTERM');
      });
      return code;
    },
  };
}
