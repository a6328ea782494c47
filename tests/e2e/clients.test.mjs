// The requests of clients that are not npm packages (VS Code Copilot Chat, Zed, Continue,
// Open WebUI, JetBrains AI Assistant, the Ollama CLI), replayed with fetch against the real
// binary: the same endpoints in the same order, the same headers and bodies, and the checks
// their parsers make on the answers, as read from each client's source. This is not the client
// itself — docs/clients.md says so — but it fails
// when the gateway answers something that client is known to reject.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway } from './lib/gateway.mjs';

let gw;
before(async () => {
  gw = await startGateway({
    version: 1,
    providers: [{ name: 'echo', type: 'echo', options: { delay_ms: 1 } }],
    models: [{ name: 'gpt-4o', provider: 'echo', model: 'echo', capabilities: ['completion', 'tools', 'vision', 'thinking'] }],
  });
});
after(async () => assert.equal(await gw.stop(), 0));

const opts = { timeout: 20000 };
const post = (path, body, headers = {}) => fetch(gw.url + path, {
  method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
});
async function ndjson(res) {
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.ok(!/\n\n/.test(text), 'no blank lines (ollama-python json.loads every line)');
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
}
async function sse(res) {
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/event-stream/);
  const events = (await res.text()).split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
  assert.equal(events.at(-1), '[DONE]');
  return events.slice(0, -1).map((e) => JSON.parse(e));
}
const tool = { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

test('VS Code Copilot Chat (BYOK Ollama): version, tags, show, then /v1 streaming with tools', opts, async () => {
  const ua = { 'user-agent': 'GitHubCopilotChat/0.30.0' };
  const { version } = await (await fetch(`${gw.url}/api/version`, { headers: ua })).json();
  const [a, b, c] = version.split('.').map((x) => parseInt(x, 10));
  assert.ok(a > 0 || b > 6 || (b === 6 && c >= 4), `Copilot needs >= 0.6.4, got ${version}`);
  const { models } = await (await fetch(`${gw.url}/api/tags`, { headers: ua })).json();
  const ids = models.map((m) => m.model); // Copilot keys on `model`, not `name`
  assert.ok(ids.includes('gpt-4o:latest'));
  for (const id of ids) {
    const show = await (await post('/api/show', { model: id }, ua)).json();
    assert.ok(Array.isArray(show.capabilities), `${id}: capabilities must be an array`);
    const arch = show.model_info['general.architecture'];
    assert.ok(Number.isInteger(show.model_info[`${arch}.context_length`]), id);
    assert.equal(show.model_info['general.basename'], id); // the name Copilot shows
  }
  const show = await (await post('/api/show', { model: 'gpt-4o:latest' }, ua)).json();
  assert.ok(show.capabilities.includes('tools') && show.capabilities.includes('vision'));
  // Chat: OpenAI body, empty key, include_usage, max_completion_tokens.
  const events = await sse(await post('/v1/chat/completions', {
    model: 'gpt-4o:latest', stream: true, stream_options: { include_usage: true }, max_completion_tokens: 4096,
    tools: [tool], messages: [{ role: 'system', content: 'You are Copilot.' }, { role: 'user', content: 'call get_weather {"city":"Oslo"}' }],
  }, { ...ua, authorization: 'Bearer ' }));
  const calls = events.flatMap((e) => e.choices?.[0]?.delta?.tool_calls ?? []);
  assert.equal(calls[0].function.name, 'get_weather');
  assert.deepEqual(JSON.parse(calls.map((t) => t.function.arguments).join('')), { city: 'Oslo' });
  assert.equal(events.find((e) => e.choices?.[0]?.finish_reason)?.choices[0].finish_reason, 'tool_calls');
  assert.ok(events.at(-1).usage.total_tokens > 0, 'the usage chunk comes last');
});

test('Zed: strict tags entries, every show succeeds, streaming chat lines of its shape', opts, async () => {
  const { models } = await (await fetch(`${gw.url}/api/tags`)).json();
  for (const m of models) { // serde: one bad entry fails the whole list
    assert.equal(typeof m.name, 'string');
    assert.equal(typeof m.modified_at, 'string');
    assert.ok(Number.isInteger(m.size) && m.size >= 0);
    assert.equal(typeof m.digest, 'string');
    for (const k of ['format', 'family', 'parameter_size', 'quantization_level']) assert.equal(typeof m.details[k], 'string');
    const res = await post('/api/show', { model: m.name });
    assert.equal(res.status, 200, `show ${m.name}`);
    assert.ok(Array.isArray((await res.json()).capabilities));
  }
  const lines = await ndjson(await post('/api/chat', {
    model: 'gpt-4o', stream: true, keep_alive: -1, think: false,
    options: { num_ctx: 16384, num_predict: 100, stop: [], temperature: 1, top_p: 1 },
    tools: [tool], messages: [{ role: 'user', content: 'hello zed' }],
  }));
  for (const l of lines) {
    assert.equal(typeof l.model, 'string');
    assert.equal(typeof l.created_at, 'string');
    assert.equal(l.message.role, 'assistant');
    assert.equal(typeof l.message.content, 'string');
    assert.equal(typeof l.done, 'boolean');
  }
  assert.equal(lines.map((l) => l.message.content).join(''), 'hello zed');
  assert.ok(lines.at(-1).done && lines.at(-1).eval_count > 0);
});

test('Continue: show by legacy name with parsable parameters, chat with its options, embed', opts, async () => {
  const show = await (await post('/api/show', { name: 'gpt-4o' })).json();
  const params = Object.fromEntries(show.parameters.split('\n').map((l) => l.match(/^(\S+)\s+((?:".*")|\S+)$/)).filter(Boolean).map((m) => [m[1], m[2]]));
  assert.ok(parseInt(params.num_ctx, 10) > 0, show.parameters);
  assert.ok(!show.template.includes('.Suffix'), 'no fill-in-the-middle for a model without insert');
  const lines = await ndjson(await post('/api/chat', {
    model: 'gpt-4o', stream: true, keep_alive: 1800, think: true,
    options: { temperature: 0.5, top_p: 0.9, top_k: 40, num_predict: 600, num_ctx: 8192, mirostat: 0, num_thread: 4, use_mmap: true, min_p: 0.05, num_gpu: 1, stop: ['<|end|>'] },
    messages: [{ role: 'user', content: 'continue please' }],
  }));
  assert.equal(lines.map((l) => l.message.content).join(''), 'continue please');
  assert.ok(lines.some((l) => l.message.thinking), 'thinking arrives in message.thinking');
  const embed = await (await post('/api/embed', { model: 'gpt-4o', input: ['some code'] })).json();
  assert.ok(embed.embeddings.length === 1 && embed.embeddings[0].length > 0);
});

test('Open WebUI: numeric version, model keys, ps timestamps, :latest ids, unload', opts, async () => {
  const { version } = await (await fetch(`${gw.url}/api/version`)).json();
  const parts = version.replace(/^v|-.*/g, '').split('.');
  assert.ok(parts.every((p) => /^\d+$/.test(p)), `Python's int() must parse ${version}`);
  const { models } = await (await fetch(`${gw.url}/api/tags`)).json();
  assert.ok(models.every((m) => typeof m.model === 'string'));
  const r = await (await post('/api/chat', { model: 'gpt-4o:latest', stream: false, messages: [{ role: 'user', content: 'from webui' }] }, { authorization: 'Bearer sk-webui' })).json();
  assert.equal(r.message.content, 'from webui');
  const ps = await (await fetch(`${gw.url}/api/ps`)).json();
  const entry = ps.models.find((m) => m.name === 'gpt-4o:latest');
  assert.ok(entry, JSON.stringify(ps));
  assert.match(entry.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/); // datetime.fromisoformat
  const unload = await post('/api/generate', { model: 'gpt-4o:latest', keep_alive: 0, prompt: '' });
  assert.equal(unload.status, 200);
  assert.equal((await unload.json()).done, true);
});

test('JetBrains AI Assistant: root, tags, show (JSON even for a miss), NDJSON chat', opts, async () => {
  const root = await fetch(`${gw.url}/`);
  assert.equal(root.status, 200);
  assert.match(await root.text(), /Ollama is running/);
  const { models } = await (await fetch(`${gw.url}/api/tags`)).json();
  assert.ok(models.length > 0);
  const miss = await post('/api/show', { model: 'not-there' });
  assert.equal(miss.status, 404);
  assert.match((await miss.json()).error, /not found/); // an empty 404 broke it
  const lines = await ndjson(await post('/api/chat', { model: models[0].name, messages: [{ role: 'user', content: 'hi jetbrains' }] }));
  assert.equal(lines.map((l) => l.message.content).join(''), 'hi jetbrains');
});

test('the Ollama CLI: heartbeat, show, preload, streaming chat, list, ps, stop', opts, async () => {
  const ua = { 'user-agent': 'ollama/0.32.15 (amd64 linux) Go/go1.24.0' };
  const head = await fetch(`${gw.url}/`, { method: 'HEAD', headers: ua });
  assert.ok(head.status < 400);
  const show = await (await post('/api/show', { model: 'gpt-4o' }, ua)).json();
  assert.ok(show.capabilities.includes('completion'));
  assert.ok(show.model_info['general.architecture']);
  const preload = await (await post('/api/generate', { model: 'gpt-4o', keep_alive: '5m', think: false }, ua)).json();
  assert.equal(preload.done, true);
  const lines = await ndjson(await post('/api/chat', { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'run it' }] }, { ...ua, accept: 'application/x-ndjson' }));
  assert.equal(lines.map((l) => l.message.content).join(''), 'run it');
  assert.ok(lines.every((l) => l.error === undefined));
  assert.ok((await (await fetch(`${gw.url}/api/tags`, { headers: ua })).json()).models.length > 0);
  assert.ok(Array.isArray((await (await fetch(`${gw.url}/api/ps`, { headers: ua })).json()).models));
  const stop = await post('/api/generate', { model: 'gpt-4o', keep_alive: 0 }, ua);
  assert.equal(stop.status, 200);
  const miss = await post('/api/show', { model: 'nope' }, ua);
  assert.equal(miss.status, 404); // the CLI then offers to pull
});
