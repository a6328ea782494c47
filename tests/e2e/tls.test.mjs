// Providers over TLS as cloud providers serve them: HTTPS with HTTP/2 offered by ALPN (Node's
// http2 with HTTP/1.1 allowed), a certificate from a private CA trusted through SSL_CERT_FILE.
// OpenAI, Anthropic, Gemini, Ollama, Hugging Face and Azure types, streamed and not, through the real ollama and openai packages; many
// streams on one connection; cancellation and timeouts as on HTTP/1.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { once } from 'node:events';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { startGateway } from './lib/gateway.mjs';
import { fakeOpenAI, fakeAnthropic, fakeGemini, fakeOllama } from './lib/fakes.mjs';
import { makePki } from './lib/pki.mjs';

let gw; let fakes; let ollama; let openai; let pki; let slow;
const slowEvents = []; // what the slow fake saw: 'open', 'closed'

// An OpenAI-compatible upstream over h2 that streams one word per 50 ms for a long time
// ('slow'), or sends one word and then nothing ('stall').
function startSlow() {
  const server = http2.createSecureServer({ ...pki.server, allowHTTP1: true }, async (req, res) => {
    for await (const c of req) void c;
    slowEvents.push(`open ${req.httpVersion}`);
    res.on('close', () => slowEvents.push('closed'));
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (content) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
    res.write(chunk('first'));
    if (req.url.includes('stall')) return;
    const timer = setInterval(() => res.write(chunk(' more')), 50);
    res.on('close', () => clearInterval(timer));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `https://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => server.close(r)),
  })));
}

before(async () => {
  pki = makePki();
  const tls = { tls: pki.server };
  fakes = { openai: await fakeOpenAI(tls), anthropic: await fakeAnthropic(tls), gemini: await fakeGemini(tls), ollama: await fakeOllama(tls) };
  slow = await startSlow();
  gw = await startGateway({
    version: 1,
    server: { threads: 2 },
    providers: [
      { name: 'oai', type: 'openai', base_url: `${fakes.openai.url}/v1`, options: { requires_key: true } },
      { name: 'claude', type: 'anthropic', base_url: fakes.anthropic.url },
      { name: 'gem', type: 'gemini', base_url: `${fakes.gemini.url}/v1beta` },
      { name: 'home', type: 'ollama', base_url: fakes.ollama.url },
      { name: 'hf', type: 'huggingface', base_url: `${fakes.openai.url}/v1` },
      { name: 'az', type: 'azure-openai', base_url: fakes.openai.url, options: { api_version: '2025-01-01' } },
      { name: 'slow', type: 'openai', base_url: `${slow.url}/v1`, options: { requires_key: false, max_retries: 0, timeouts: { idle_ms: 500 } } },
      { name: 'stall', type: 'openai', base_url: `${slow.url}/stall/v1`, options: { requires_key: false, max_retries: 0, timeouts: { idle_ms: 500 } } },
    ],
    models: [
      { name: 'gpt', provider: 'oai', model: 'gpt-4o' },
      { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
      { name: 'flash', provider: 'gem', model: 'gemini-2.5-flash' },
      { name: 'qwen', provider: 'home', model: 'qwen3:8b' },
      { name: 'llama', provider: 'hf', model: 'meta-llama/Llama-3.1-8B-Instruct:novita' },
      { name: 'azgpt', provider: 'az', model: 'my-deployment' },
      { name: 'slow', provider: 'slow', model: 'slow-1' },
      { name: 'stall', provider: 'stall', model: 'stall-1' },
    ],
  }, { SSL_CERT_FILE: pki.caFile, OAI_API_KEY: 'sk-e2e-key-0000000000', CLAUDE_API_KEY: 'sk-ant-e2e-000000', GEM_API_KEY: 'AIzaE2EKey00000000000000000', HF_TOKEN: 'hf_e2etoken000000000', AZ_API_KEY: 'azure-e2e-key-000000' });
  ollama = new Ollama({ host: gw.url });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});

after(async () => {
  assert.equal(await gw.stop(), 0);
  for (const f of Object.values(fakes)) await f.close();
  await slow.close();
});

const opts = { timeout: 20000 };

for (const [model, fake] of [['gpt', 'openai'], ['sonnet', 'anthropic'], ['flash', 'gemini'], ['qwen', 'ollama'], ['llama', 'openai'], ['azgpt', 'openai']]) {
  test(`${model}: over HTTP/2 with TLS, whole and streamed (ollama-js)`, opts, async () => {
    const before = fakes[fake].requests.length;
    const whole = await ollama.chat({ model, messages: [{ role: 'user', content: 'hello h2' }] });
    assert.equal(whole.message.content, 'You said: hello h2');
    let text = '';
    for await (const c of await ollama.chat({ model, messages: [{ role: 'user', content: 'stream h2' }], stream: true })) text += c.message.content;
    assert.equal(text, 'You said: stream h2');
    const seen = fakes[fake].requests.slice(before);
    assert.equal(seen.length, 2);
    for (const r of seen) assert.equal(r.httpVersion, '2.0');
  });

  test(`${model}: over HTTP/2 with TLS through the openai package`, opts, async () => {
    const r = await openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi there' }] });
    assert.equal(r.choices[0].message.content, 'You said: hi there');
    let text = '';
    for await (const c of await openai.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'streamed' }] })) text += c.choices[0]?.delta?.content ?? '';
    assert.equal(text, 'You said: streamed');
    assert.equal(fakes[fake].last().httpVersion, '2.0');
  });
}

// One per worker: each of the gateway's event-loop workers has its own network objects (the
// gateway here runs two, `server.threads`), and what a host speaks is known to all of them.
test('many concurrent streams share one HTTP/2 connection per worker', opts, async () => {
  await openai.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'warm up' }] });
  const before = fakes.openai.requests.length;
  const answers = await Promise.all(Array.from({ length: 24 }, async (_, i) => {
    let text = '';
    for await (const c of await openai.chat.completions.create({ model: 'gpt', stream: true, messages: [{ role: 'user', content: `n${i}` }] })) text += c.choices[0]?.delta?.content ?? '';
    return text;
  }));
  answers.forEach((t, i) => assert.equal(t, `You said: n${i}`));
  const seen = fakes.openai.requests.slice(before);
  assert.equal(seen.length, 24);
  const connections = new Set(seen.map((r) => r.connection));
  assert.ok(connections.size <= 2, `connections: ${[...connections]}`);
  assert.ok(seen.every((r) => r.httpVersion === '2.0'));
});

test('a client that hangs up cancels the HTTP/2 stream upstream', opts, async () => {
  slowEvents.length = 0;
  const controller = new AbortController();
  const stream = await openai.chat.completions.create({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'go' }] }, { signal: controller.signal });
  let first = '';
  for await (const c of stream) {
    first += c.choices[0]?.delta?.content ?? '';
    if (first) { controller.abort(); break; }
  }
  assert.equal(first, 'first');
  // The upstream stream is reset by the gateway (the slow fake would otherwise go on forever).
  while (!slowEvents.includes('closed')) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(slowEvents, ['open 2.0', 'closed']);
});

test('an HTTP/2 stream that stalls ends in the idle timeout', opts, async () => {
  let text = '';
  await assert.rejects(async () => {
    for await (const c of await openai.chat.completions.create({ model: 'stall', stream: true, messages: [{ role: 'user', content: 'go' }] })) text += c.choices[0]?.delta?.content ?? '';
  }, /stalled/);
  assert.equal(text, 'first');
});

test('the gateway without the CA refuses the private certificate, in words', opts, async () => {
  const bare = await startGateway({ version: 1, providers: [{ name: 'oai', type: 'openai', base_url: `${fakes.openai.url}/v1`, options: { requires_key: false } }], models: [{ name: 'gpt', provider: 'oai', model: 'gpt-4o' }] });
  try {
    const bareClient = new OpenAI({ baseURL: `${bare.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    await assert.rejects(bareClient.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'x' }] }),
      (e) => e.status === 502 && /does not trust/.test(e.message) && /tls\.ca_file/.test(e.message) && /SSL_CERT_FILE/.test(e.message));
  } finally {
    assert.equal(await bare.stop(), 0);
  }
});

test('insecure_skip_verify reaches the lab server, and the log says so on every line', opts, async () => {
  const lab = await startGateway({ version: 1, providers: [{ name: 'lab', type: 'openai', base_url: `${fakes.openai.url}/v1`, options: { requires_key: false, tls: { insecure_skip_verify: true } } }], models: [{ name: 'gpt', provider: 'lab', model: 'gpt-4o' }] });
  try {
    const client = new OpenAI({ baseURL: `${lab.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const r = await client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'lab' }] });
    assert.equal(r.choices[0].message.content, 'You said: lab');
    assert.equal(fakes.openai.last().httpVersion, '2.0');
    assert.match(lab.logs(), /warning: provider 'lab' does not verify TLS certificates \(tls\.insecure_skip_verify\)/);
    assert.match(await lab.logsMatching(/POST \/v1\/chat\/completions .* 200 .*\(TLS not verified\)/), /POST \/v1\/chat\/completions .* 200 .*\(TLS not verified\)/);
  } finally {
    assert.equal(await lab.stop(), 0);
  }
});
