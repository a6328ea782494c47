// Codex CLI (npm @openai/codex), run as a user runs it against Ollama:
// `codex exec --oss --local-provider ollama -m MODEL "task"`, with the gateway as the Ollama
// server. Codex checks the model through the Ollama API, then talks /v1/responses (streamed,
// function tools). The model behind each name is a fake upstream (lib/fakes.mjs) that answers
// the task with a call to Codex's own shell tool (exec_command) and, once Codex sends the
// tool's output back, with a final message. Codex has a private HOME and no network beyond
// loopback: its proxies point at a closed port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { startGateway } from './lib/gateway.mjs';
import { fakeOpenAI, fakeAnthropic, fakeGemini } from './lib/fakes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const codexBin = join(here, 'node_modules', '.bin', 'codex');

let gw;
let openai;
let anthropic;
let gemini;
let deadPort;
let deadServer;
const roots = [];

before(async () => {
  [openai, anthropic, gemini] = await Promise.all([fakeOpenAI(), fakeAnthropic(), fakeGemini()]);
  // A port that is bound but refuses every connection at once: the proxy Codex gets, so any
  // request beyond loopback fails fast instead of reaching the internet.
  deadServer = net.createServer((s) => s.destroy());
  await new Promise((r) => deadServer.listen(0, '127.0.0.1', r));
  deadPort = deadServer.address().port;
  gw = await startGateway({
    version: 1,
    providers: [
      { name: 'openai', type: 'openai', base_url: `${openai.url}/v1` },
      { name: 'anthropic', type: 'anthropic', base_url: anthropic.url },
      { name: 'gemini', type: 'gemini', base_url: gemini.url },
    ],
    models: [
      { name: 'gpt-4o', provider: 'openai', model: 'gpt-4o' },
      { name: 'claude-sonnet-4-5', provider: 'anthropic', model: 'claude-sonnet-4-5' },
      { name: 'gemini-2.5-flash', provider: 'gemini', model: 'gemini-2.5-flash' },
    ],
  }, { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'sk-ant-test', GEMINI_API_KEY: 'g-test' });
});

after(async () => {
  assert.equal(await gw.stop(), 0);
  await Promise.all([openai.close(), anthropic.close(), gemini.close()]);
  deadServer.close();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

// Runs codex exec in a fresh folder; resolves with its exit code, output and the folder.
function codex(model, prompt, extra = []) {
  const root = mkdtempSync(join(tmpdir(), 'llmgw-codex-'));
  roots.push(root);
  const home = join(root, 'home');
  const work = join(root, 'work');
  mkdirSync(join(home, '.codex'), { recursive: true });
  mkdirSync(work);
  const proxy = `http://127.0.0.1:${deadPort}`;
  const args = ['exec', '--oss', '--local-provider', 'ollama', '-m', model,
    '-c', 'analytics.enabled=false', '-c', 'check_for_update_on_startup=false',
    '--disable', 'plugins', '--disable', 'remote_plugin', '--disable', 'apps',
    // The test folder is the sandbox: Codex's own (bubblewrap) needs user namespaces that
    // containers often lack.
    '--dangerously-bypass-approvals-and-sandbox', '--skip-git-repo-check', '-C', work, ...extra, prompt];
  const child = spawn(codexBin, args, {
    cwd: work,
    env: {
      PATH: process.env.PATH, HOME: home, CODEX_HOME: join(home, '.codex'),
      OLLAMA_HOST: gw.url, CODEX_OSS_BASE_URL: `${gw.url}/v1`,
      HTTPS_PROXY: proxy, HTTP_PROXY: proxy, https_proxy: proxy, http_proxy: proxy,
      NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, stdout, stderr, work });
    });
  });
}

const opts = { timeout: 90000 };

for (const [model, upstream] of [['gpt-4o', () => openai], ['claude-sonnet-4-5', () => anthropic],
  ['gemini-2.5-flash', () => gemini]]) {
  test(`codex exec completes a file task through ${model}`, opts, async () => {
    const before = upstream().requests.length;
    const r = await codex(model, 'Please create the file hello.txt containing gateway');
    const detail = `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}\ngateway:\n${gw.logs()}`;
    assert.equal(r.code, 0, detail);
    // Codex ran its shell tool on the model's call and reported the model's final words.
    assert.ok(existsSync(join(r.work, 'hello.txt')), detail);
    assert.equal(readFileSync(join(r.work, 'hello.txt'), 'utf8'), 'gateway');
    assert.match(r.stdout, /Done: hello\.txt now holds gateway\./, detail);
    // Two model turns went upstream: the call, then the answer from the tool's output.
    assert.ok(upstream().requests.length - before >= 2, detail);
    const line = new RegExp(`POST /v1/responses dialect=responses app=codex model=${model}\\S* via=`);
    assert.match(await gw.logsMatching(line), line);
  });
}

test('codex exec with reasoning through claude-sonnet-4-5: the thinking stays in the tool loop', opts, async () => {
  const before = anthropic.requests.length;
  const r = await codex('claude-sonnet-4-5', 'Please create the file think.txt containing deeply',
    ['-c', 'model_reasoning_effort="high"', '-c', 'model_reasoning_summary="detailed"']);
  const detail = `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
  assert.equal(r.code, 0, detail);
  assert.equal(readFileSync(join(r.work, 'think.txt'), 'utf8'), 'deeply');
  assert.match(r.stdout, /Done: think\.txt now holds deeply\./, detail);
  const turns = anthropic.requests.slice(before);
  assert.ok(turns.length >= 2, detail);
  // Thinking was asked for, and the signed thinking block went back with the tool result.
  assert.ok(turns[0].body.thinking, JSON.stringify(turns[0].body.thinking));
  const assistant = turns[1].body.messages.find((m) => m.role === 'assistant');
  assert.deepEqual(assistant.content.filter((b) => b.type === 'thinking').map((b) => b.signature), ['sig-1']);
  // Codex showed the reasoning summary it got.
  assert.match(r.stdout + r.stderr, /Let me think about that\./, detail);
});
