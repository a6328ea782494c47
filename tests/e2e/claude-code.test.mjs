// Claude Code itself (npm @anthropic-ai/claude-code, the real CLI) as a user runs it against
// the gateway: ANTHROPIC_BASE_URL pointing at it, `claude -p … --model NAME`, for a GPT, a
// Claude and a Gemini model behind fake upstreams. The fake model answers the prompt with a
// call to Claude Code's own Write tool; Claude Code writes the file (acceptEdits), sends the
// result back through the gateway, and prints the model's final words. Claude Code gets a
// private HOME and a proxy that refuses every connection, so nothing leaves loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startGateway } from './lib/gateway.mjs';
import { fakeOpenAI, fakeAnthropic, fakeGemini } from './lib/fakes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const claudeBin = join(here, 'node_modules', '.bin', 'claude');

let gw; let fakes; let refusingPort;

// A port nothing listens on: bound once, then closed.
async function closedPort() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

before(async () => {
  fakes = { openai: await fakeOpenAI(), anthropic: await fakeAnthropic(), gemini: await fakeGemini() };
  refusingPort = await closedPort();
  gw = await startGateway({
    version: 1,
    providers: [
      { name: 'oai', type: 'openai', base_url: `${fakes.openai.url}/v1` },
      { name: 'claude', type: 'anthropic', base_url: fakes.anthropic.url },
      { name: 'gem', type: 'gemini', base_url: `${fakes.gemini.url}/v1beta` },
    ],
    models: [
      { name: 'gpt-4o', provider: 'oai', model: 'gpt-4o' },
      { name: 'claude-sonnet-4-5', provider: 'claude', model: 'claude-sonnet-4-5' },
      { name: 'gemini-2.5-flash', provider: 'gem', model: 'gemini-2.5-flash' },
    ],
  }, { OAI_API_KEY: 'sk-e2e-key-0000000000', CLAUDE_API_KEY: 'sk-ant-e2e-000000', GEM_API_KEY: 'AIzaE2EKey00000000000000000' });
});

after(async () => {
  assert.equal(await gw.stop(), 0);
  for (const f of Object.values(fakes)) await f.close();
});

// Runs `claude -p prompt --model model` in `cwd`; resolves with its exit code and output.
function runClaude(prompt, model, cwd) {
  const home = mkdtempSync(join(tmpdir(), 'llmgw-claude-home-'));
  const proxy = `http://127.0.0.1:${refusingPort}`;
  const child = spawn(claudeBin, ['-p', prompt, '--model', model, '--permission-mode', 'acceptEdits'], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      ANTHROPIC_BASE_URL: gw.url,
      ANTHROPIC_AUTH_TOKEN: 'x',
      // Claude Code's background calls (titles, summaries) go to the "small fast" model.
      ANTHROPIC_SMALL_FAST_MODEL: model,
      ANTHROPIC_DEFAULT_HAIKU_MODEL: model,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
      HTTPS_PROXY: proxy, HTTP_PROXY: proxy, https_proxy: proxy, http_proxy: proxy,
      NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = ''; let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
  return new Promise((resolve) => child.on('exit', (code, signal) => {
    clearTimeout(timer);
    resolve({ code: code ?? signal, stdout, stderr });
  }));
}

const cases = [
  ['gpt-4o', 'openai', (r) => (r.body.tools || []).map((t) => t.function.name)],
  ['claude-sonnet-4-5', 'anthropic', (r) => (r.body.tools || []).map((t) => t.name)],
  ['gemini-2.5-flash', 'gemini', (r) => (r.body.tools?.[0]?.functionDeclarations || []).map((f) => f.name)],
];

for (const [model, fake, toolNames] of cases) {
  test(`Claude Code on ${model}: writes a file with its own tool and reports it`, { timeout: 90000 }, async () => {
    const work = mkdtempSync(join(tmpdir(), 'llmgw-claude-work-'));
    const file = join(work, 'hello.txt');
    const before = fakes[fake].requests.length;
    const r = await runClaude(`Create the file ${file} containing "hello from ${model}"`, model, work);
    const detail = `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}\ngateway:\n${gw.logs()}`;
    assert.equal(r.code, 0, detail);
    assert.ok(existsSync(file), detail);
    assert.equal(readFileSync(file, 'utf8'), `hello from ${model}\n`);
    assert.match(r.stdout, new RegExp(`Created ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} through the gateway\\.`), detail);

    // The upstream saw Claude Code's tools, and the tool loop's second turn.
    const seen = fakes[fake].requests.slice(before);
    assert.ok(seen.some((q) => toolNames(q).includes('Write')), 'Write offered upstream');
    assert.ok(seen.length >= 2, 'a second turn with the tool result');
    const line = new RegExp(`POST /v1/messages dialect=anthropic app=claude-code model=${model.replace(/\./g, '\\.')} `);
    assert.match(await gw.logsMatching(line), line);
  });
}

test('Claude Code on a Claude model: the signed thinking goes back to Anthropic unchanged', { timeout: 90000 }, async () => {
  // The fake Anthropic thinks when asked to (with signature sig-1); in the tool loop's second
  // turn Claude Code returns that block and the gateway must pass it upstream as it was.
  const work = mkdtempSync(join(tmpdir(), 'llmgw-claude-work-'));
  const file = join(work, 'thought.txt');
  const before = fakes.anthropic.requests.length;
  const r = await runClaude(`Create the file ${file} containing "signed"`, 'claude-sonnet-4-5', work);
  assert.equal(r.code, 0, r.stderr);
  const seen = fakes.anthropic.requests.slice(before);
  const first = seen.find((q) => q.body.thinking && q.body.tools?.some((t) => t.name === 'Write'));
  assert.ok(first, 'thinking asked for upstream');
  const second = seen.find((q) => q.body.messages.some((m) => m.role === 'assistant'));
  assert.ok(second, 'a second turn');
  const assistant = second.body.messages.find((m) => m.role === 'assistant');
  assert.deepEqual(assistant.content[0], { type: 'thinking', thinking: 'Let me think about that.', signature: 'sig-1' });
  assert.equal(assistant.content.at(-1).type, 'tool_use');
  // Claude Code's cache breakpoints reach Anthropic.
  assert.ok(JSON.stringify(second.body).includes('"cache_control"'), 'cache_control carried');
});
