// The official ollama-js client against the real gateway binary, with the built-in echo model.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Ollama } from 'ollama';
import { startGateway } from './lib/gateway.mjs';

let gw;
let ollama;

before(async () => {
  gw = await startGateway({
    version: 1,
    providers: [
      { name: 'echo', type: 'echo', options: { delay_ms: 5 } },
      { name: 'slowecho', type: 'echo', options: { delay_ms: 200 } },
    ],
    models: [{ name: 'slow', provider: 'slowecho', model: 'echo' }],
  });
  ollama = new Ollama({ host: gw.url });
});

after(async () => {
  const code = await gw.stop();
  assert.equal(code, 0, 'SIGTERM stops the gateway cleanly');
  assert.match(gw.logs(), /llm-gateway stopped/);
});

const opts = { timeout: 20000 };

test('list: every entry has what Zed, Copilot and Open WebUI need', opts, async () => {
  const { models } = await ollama.list();
  const names = models.map((m) => m.name);
  assert.ok(names.includes('echo:latest') && names.includes('slow:latest'), names.join(','));
  for (const m of models) {
    assert.equal(m.model, m.name);
    assert.match(m.digest, /^[0-9a-f]{64}$/);
    assert.ok(!Number.isNaN(Date.parse(m.modified_at)));
    for (const k of ['format', 'family', 'parameter_size', 'quantization_level']) assert.equal(typeof m.details[k], 'string', k);
  }
});

test('show: capabilities and the context length', opts, async () => {
  const s = await ollama.show({ model: 'echo' });
  assert.ok(s.capabilities.includes('completion'));
  const arch = s.model_info['general.architecture'];
  assert.ok(s.model_info[`${arch}.context_length`] > 0);
  await assert.rejects(ollama.show({ model: 'nope' }), (e) => e.status_code === 404 && /not found/.test(e.message));
});

test('version is a dotted number of at least 0.6.4', opts, async () => {
  const { version } = await ollama.version();
  const [a, b, c] = version.split('.').map(Number);
  assert.ok(a > 0 || b > 6 || (b === 6 && c >= 4), version);
});

test('chat without streaming', opts, async () => {
  const r = await ollama.chat({ model: 'echo', messages: [{ role: 'user', content: 'hello there friend' }] });
  assert.equal(r.message.content, 'hello there friend');
  assert.equal(r.message.role, 'assistant');
  assert.equal(r.done, true);
  assert.equal(r.done_reason, 'stop');
  assert.ok(r.eval_count > 0 && r.total_duration > 0);
});

test('chat streaming arrives in pieces and ends with the statistics', opts, async () => {
  const stream = await ollama.chat({ model: 'echo', stream: true, messages: [{ role: 'user', content: 'one two three four' }] });
  const parts = [];
  let last;
  for await (const chunk of stream) { parts.push(chunk.message.content); last = chunk; }
  assert.ok(parts.filter(Boolean).length >= 4);
  assert.equal(parts.join(''), 'one two three four');
  assert.equal(last.done, true);
  assert.ok(last.prompt_eval_count > 0 && last.eval_duration > 0);
});

test('thinking comes separately, before the answer', opts, async () => {
  const stream = await ollama.chat({ model: 'echo', stream: true, think: true, messages: [{ role: 'user', content: 'a b' }] });
  let thinking = ''; let content = ''; let thinkingAfterContent = false;
  for await (const c of stream) {
    if (c.message.thinking) { thinking += c.message.thinking; if (content) thinkingAfterContent = true; }
    content += c.message.content;
  }
  assert.match(thinking, /The user wrote 2 words/);
  assert.equal(content, 'a b');
  assert.equal(thinkingAfterContent, false);
});

test('tool calls come back with object arguments and an id', opts, async () => {
  const r = await ollama.chat({
    model: 'echo',
    messages: [{ role: 'user', content: 'call get_weather {"city":"Tokyo","days":2}' }],
    tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
  });
  const call = r.message.tool_calls[0];
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(call.function.arguments, { city: 'Tokyo', days: 2 });
  assert.match(call.id, /^call_/);
  // The result goes back as a tool message, as ollama-js users send it.
  const r2 = await ollama.chat({ model: 'echo', messages: [{ role: 'user', content: 'weather?' }, r.message, { role: 'tool', content: '18C', tool_name: 'get_weather' }] });
  assert.equal(r2.message.content, 'Tool get_weather returned: 18C');
});

test('generate, streaming and not, and the options', opts, async () => {
  const r = await ollama.generate({ model: 'echo', prompt: 'why is the sky blue' });
  assert.equal(r.response, 'why is the sky blue');
  const stream = await ollama.generate({ model: 'echo', prompt: 'a b c d e', stream: true, options: { num_predict: 2 } });
  let text = ''; let last;
  for await (const c of stream) { text += c.response; last = c; }
  assert.equal(text, 'a b');
  assert.equal(last.done_reason, 'length');
});

test('images and JSON format', opts, async () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).toString('base64');
  const r = await ollama.chat({ model: 'echo', format: 'json', messages: [{ role: 'user', content: 'describe', images: [png] }] });
  assert.deepEqual(JSON.parse(r.message.content), { echo: '[1 image(s): image/png] describe' });
});

test('aborting a stream cancels it, and the gateway goes on serving', opts, async () => {
  const stream = await ollama.chat({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'a b c d e f g h i j k l' }] });
  let seen = 0;
  await assert.rejects(async () => {
    for await (const c of stream) {
      seen += 1;
      if (seen === 1) stream.abort();
    }
  }, (e) => e.name === 'AbortError');
  assert.equal(seen, 1);
  const r = await ollama.chat({ model: 'echo', messages: [{ role: 'user', content: 'still here' }] });
  assert.equal(r.message.content, 'still here');
  await new Promise((res) => setTimeout(res, 100));
  assert.match(await gw.logsMatching(/model=slow .*client closed the connection/), /model=slow .*client closed the connection/);
});

test('errors reach the client with status and message', opts, async () => {
  await assert.rejects(ollama.chat({ model: 'missing', messages: [{ role: 'user', content: 'x' }] }),
    (e) => e.status_code === 404 && e.message === "model 'missing' not found");
  await assert.rejects(ollama.chat({ model: 'echo', messages: [{ role: 'user', content: '/fail 503 upstream down' }] }),
    (e) => e.status_code === 503 && e.message === 'upstream down');
  const stream = await ollama.chat({ model: 'echo', stream: true, messages: [{ role: 'user', content: '/fail-after 2 boom' }] });
  await assert.rejects(async () => { for await (const _ of stream); }, /boom/);
});

test('pull of a mapped model succeeds; ps lists what was used', opts, async () => {
  const p = await ollama.pull({ model: 'echo' });
  assert.equal(p.status, 'success');
  const { models } = await ollama.ps();
  assert.ok(models.some((m) => m.name === 'echo:latest'));
  await assert.rejects(ollama.pull({ model: 'llama3' }), (e) => e.status_code === 404);
});

test('embed and the legacy embeddings', opts, async () => {
  const r = await ollama.embed({ model: 'echo', input: ['the cat', 'the dog'] });
  assert.equal(r.embeddings.length, 2);
  const norm = Math.hypot(...r.embeddings[0]);
  assert.ok(Math.abs(norm - 1) < 1e-9, `normalised, got ${norm}`);
  const legacy = await ollama.embeddings({ model: 'echo', prompt: 'the cat' });
  assert.equal(legacy.embedding.length, 64);
});
