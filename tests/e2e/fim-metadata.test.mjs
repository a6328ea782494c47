// Issue 14 (part B) through the real client libraries: fill-in-the-middle with ollama-js
// (generate with suffix and raw, as Continue sends it) and the openai package (completions with
// suffix) to fakes of Mistral's FIM endpoint and DeepSeek's beta completions; embedding
// dimensions with ollama-js and openai to fakes of OpenAI and Gemini; the model metadata
// ollama-js reads (list, show); and the openai package pointed at the root, without /v1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { startGateway } from './lib/gateway.mjs';

function fake(handler) {
  const requests = [];
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += c;
    const rec = { method: req.method, url: req.url, body: body ? JSON.parse(body) : null };
    requests.push(rec);
    handler(rec, res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    last: () => requests[requests.length - 1],
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  })));
}

const sse = (res, objects) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const o of objects) res.write(`data: ${JSON.stringify(o)}\n\n`);
  res.end('data: [DONE]\n\n');
};
const json = (res, status, o) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(o));
};
const unknown = (res) => json(res, 404, { error: { message: 'no such route', type: 'invalid_request_error' } });

// Mistral: POST /v1/fim/completions, extra fields refused with 422, Chat Completions chunks.
function mistralFim(rec, res) {
  if (rec.url !== '/v1/fim/completions') return unknown(res);
  const allowed = ['model', 'prompt', 'suffix', 'temperature', 'top_p', 'max_tokens', 'min_tokens', 'stream', 'stop', 'random_seed'];
  const extra = Object.keys(rec.body).filter((k) => !allowed.includes(k));
  if (extra.length) return json(res, 422, { object: 'error', message: { detail: [{ type: 'extra_forbidden', loc: ['body', extra[0]], msg: 'Extra inputs are not permitted' }] }, type: 'invalid_request_message_error' });
  const chunk = (delta, finish, usage) => ({ id: 'fim', object: 'chat.completion.chunk', model: rec.body.model, choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) });
  sse(res, [chunk({ role: 'assistant', content: '' }, null), chunk({ content: `return a + b  # before ${JSON.stringify(rec.body.suffix)}` }, null),
    chunk({ content: '' }, 'stop', { prompt_tokens: 7, completion_tokens: 9, total_tokens: 16 })]);
}

// DeepSeek: POST /beta/completions (FIM is beta there), choices[].text.
function deepseekBeta(rec, res) {
  if (rec.url !== '/beta/completions') return unknown(res);
  if (typeof rec.body.suffix !== 'string') return json(res, 400, { error: { message: 'suffix missing', type: 'invalid_request_error' } });
  const chunk = (text, finish) => ({ id: 'c', object: 'text_completion', model: rec.body.model, choices: [{ text, index: 0, logprobs: null, finish_reason: finish }] });
  sse(res, [chunk('return ', null), chunk('a + b', null), chunk('', 'stop'),
    { id: 'c', object: 'text_completion', choices: [], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } }]);
}

const vector = (n) => Array.from({ length: n }, (_, i) => (i % 5) + 1);

function openaiEmbeddings(rec, res) {
  if (rec.url !== '/v1/embeddings') return unknown(res);
  json(res, 200, { object: 'list', model: rec.body.model, data: rec.body.input.map((_, i) => ({ object: 'embedding', index: i, embedding: vector(rec.body.dimensions ?? 1536) })), usage: { prompt_tokens: 2, total_tokens: 2 } });
}

function geminiEmbeddings(rec, res) {
  if (!/^\/v1beta\/models\/[^/]+:batchEmbedContents$/.test(rec.url)) return unknown(res);
  json(res, 200, { embeddings: rec.body.requests.map((r) => ({ values: vector(r.outputDimensionality ?? 3072) })) });
}

// Anthropic: two tool_use blocks in one answer; on the way back, every tool_use of the last
// assistant turn needs a tool_result with its id right after, or Anthropic's 400.
function anthropicTools(rec, res) {
  if (rec.url !== '/v1/messages') return unknown(res);
  const msgs = rec.body.messages;
  const ev = (name, data) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
  const frames = [ev('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], usage: { input_tokens: 10, output_tokens: 1 } } })];
  const assistant = msgs.length >= 2 ? msgs[msgs.length - 2] : null;
  const uses = (assistant?.content ?? []).filter((b) => b.type === 'tool_use').map((b) => b.id);
  if (uses.length) {
    const results = msgs[msgs.length - 1].content.filter((b) => b.type === 'tool_result');
    const missing = uses.filter((id) => !results.some((r) => r.tool_use_id === id));
    if (missing.length) return json(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: `messages.${msgs.length - 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}` } });
    const text = results.map((r) => `${r.tool_use_id}=${typeof r.content === 'string' ? r.content : r.content.map((c) => c.text).join('')}`).sort().join(' ');
    frames.push(ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }), ev('content_block_stop', { index: 0 }),
      ev('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 5 } }), ev('message_stop', {}));
  } else {
    [['toolu_tokyo', 'Tokyo'], ['toolu_paris', 'Paris']].forEach(([id, city], i) => frames.push(
      ev('content_block_start', { index: i, content_block: { type: 'tool_use', id, name: 'get_weather', input: {} } }),
      ev('content_block_delta', { index: i, delta: { type: 'input_json_delta', partial_json: JSON.stringify({ city }) } }),
      ev('content_block_stop', { index: i })));
    frames.push(ev('message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 20 } }), ev('message_stop', {}));
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const f of frames) res.write(f);
  res.end();
}

let gw; let fakes; let ollama; let openai;

before(async () => {
  fakes = { mistral: await fake(mistralFim), deepseek: await fake(deepseekBeta), openai: await fake(openaiEmbeddings), gemini: await fake(geminiEmbeddings), anthropic: await fake(anthropicTools) };
  gw = await startGateway({
    version: 1,
    providers: [
      { name: 'mistral', type: 'openai', base_url: `${fakes.mistral.url}/v1`, options: { fim_url: `${fakes.mistral.url}/v1/fim/completions` } },
      { name: 'deepseek', type: 'openai', base_url: `${fakes.deepseek.url}/v1`, options: { fim_url: `${fakes.deepseek.url}/beta/completions` } },
      { name: 'oai', type: 'openai', base_url: `${fakes.openai.url}/v1` },
      { name: 'gem', type: 'gemini', base_url: `${fakes.gemini.url}/v1beta` },
      { name: 'claude', type: 'anthropic', base_url: fakes.anthropic.url, options: { requires_key: false } },
    ],
    models: [
      { name: 'codestral', provider: 'mistral', model: 'codestral-latest' },
      { name: 'deepseek-chat', provider: 'deepseek', model: 'deepseek-chat' },
      { name: 'gpt-4o', provider: 'oai', model: 'gpt-4o' },
      { name: 'small', provider: 'oai', model: 'text-embedding-3-small' },
      { name: 'gemb', provider: 'gem', model: 'gemini-embedding-001' },
      { name: 'claude-sonnet-4-5', provider: 'claude', model: 'claude-sonnet-4-5' },
    ],
  });
  ollama = new Ollama({ host: gw.url });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});

after(async () => {
  assert.equal(await gw.stop(), 0);
  for (const f of Object.values(fakes)) await f.close();
});

const opts = { timeout: 20000 };
const norm = (v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

test('Continue decides by show: insert and {{ .Suffix }} for codestral, not for gpt-4o', opts, async () => {
  const c = await ollama.show({ model: 'codestral' });
  assert.ok(c.capabilities.includes('insert'));
  assert.ok(c.template.includes('{{ .Suffix }}'));
  const g = await ollama.show({ model: 'gpt-4o' });
  assert.ok(!g.capabilities.includes('insert'));
  assert.ok(!g.template.includes('.Suffix'));
});

test('ollama-js generate with suffix and raw reaches Mistral FIM, streamed and not', opts, async () => {
  fakes.mistral.requests.length = 0;
  const stream = await ollama.generate({ model: 'codestral', prompt: 'def add(a, b):\n    ', suffix: '\n\nprint(add(1, 2))', raw: true, stream: true, options: { temperature: 0.2, num_predict: 48, stop: ['\n\n'] } });
  let text = '';
  for await (const part of stream) text += part.response;
  assert.equal(text, 'return a + b  # before "\\n\\nprint(add(1, 2))"');
  const whole = await ollama.generate({ model: 'codestral', prompt: 'x = ', suffix: '\n', raw: true });
  assert.equal(whole.response, 'return a + b  # before "\\n"');
  assert.equal(whole.eval_count, 9);
  assert.equal(fakes.mistral.requests.length, 2);
  const sent = fakes.mistral.requests[0].body;
  assert.deepEqual(sent, { model: 'codestral-latest', prompt: 'def add(a, b):\n    ', suffix: '\n\nprint(add(1, 2))', stream: true, temperature: 0.2, max_tokens: 48, stop: ['\n\n'] });
});

test('ollama-js: a suffix for a model without insert is Ollama\'s 400', opts, async () => {
  await assert.rejects(ollama.generate({ model: 'gpt-4o', prompt: 'x', suffix: 'y' }),
    (e) => e.status_code === 400 && e.error === 'gpt-4o:latest does not support insert');
});

test('openai completions with suffix reach DeepSeek beta completions, streamed and not', opts, async () => {
  fakes.deepseek.requests.length = 0;
  const r = await openai.completions.create({ model: 'deepseek-chat', prompt: 'def add(a, b):\n    ', suffix: '\nprint(1)', max_tokens: 32 });
  assert.equal(r.choices[0].text, 'return a + b');
  assert.equal(r.choices[0].finish_reason, 'stop');
  assert.equal(r.usage.prompt_tokens, 5);
  const s = await openai.completions.create({ model: 'deepseek-chat', prompt: 'p', suffix: 's', stream: true });
  let text = '';
  for await (const c of s) text += c.choices[0]?.text ?? '';
  assert.equal(text, 'return a + b');
  assert.equal(fakes.deepseek.requests.length, 2);
  assert.equal(fakes.deepseek.requests[0].body.suffix, '\nprint(1)');
  assert.equal(fakes.deepseek.requests[0].body.model, 'deepseek-chat');
  assert.equal(fakes.deepseek.requests[0].body.messages, undefined);
  await assert.rejects(openai.completions.create({ model: 'gpt-4o', prompt: 'x', suffix: 'y' }),
    (e) => e.status === 400 && /does not support insert/.test(e.message));
});

for (const [model, fakeName] of [['small', 'openai'], ['gemb', 'gemini']]) {
  test(`dimensions reach ${fakeName} from ollama-js and openai`, opts, async () => {
    fakes[fakeName].requests.length = 0;
    const o = await ollama.embed({ model, input: ['alpha', 'beta'], dimensions: 128 });
    assert.equal(o.embeddings.length, 2);
    for (const v of o.embeddings) { assert.equal(v.length, 128); assert.ok(Math.abs(norm(v) - 1) < 1e-9); }
    const e = await openai.embeddings.create({ model, input: 'gamma', dimensions: 64 });
    assert.equal(e.data[0].embedding.length, 64);
    const [first, second] = fakes[fakeName].requests.map((r) => r.body);
    if (fakeName === 'openai') {
      assert.equal(first.dimensions, 128);
      assert.equal(second.dimensions, 64);
    } else {
      assert.deepEqual(first.requests.map((r) => r.outputDimensionality), [128, 128]);
      assert.equal(second.requests[0].outputDimensionality, 64);
    }
  });
}

test('ollama-js list and show: context, output limit, remote model and host', opts, async () => {
  const { models } = await ollama.list();
  const gpt = models.find((m) => m.name === 'gpt-4o:latest');
  assert.equal(gpt.remote_model, 'gpt-4o');
  assert.equal(gpt.remote_host, fakes.openai.url);
  assert.equal(gpt.max_output_tokens, 16384);
  assert.equal(gpt.details.context_length, 128000);
  assert.equal(gpt.details.family, 'gpt-4o'); // Copilot's family prefixes: gpt-…, claude…, gemini…
  assert.equal(models.find((m) => m.name === 'small:latest').details.embedding_length, 1536);
  assert.equal(models.find((m) => m.name === 'echo:latest').remote_host, undefined);
  const show = await ollama.show({ model: 'codestral' });
  assert.match(show.parameters, /^num_ctx\s+256000$/m);
  assert.equal(show.remote_model, 'codestral-latest');
  const recs = await (await fetch(`${gw.url}/api/experimental/model-recommendations`)).json();
  assert.deepEqual(recs.recommendations.map((r) => r.model), ['codestral', 'deepseek-chat', 'gpt-4o', 'claude-sonnet-4-5']);
});

test('the openai package without /v1 in its base URL (Copilot 0.37)', opts, async () => {
  const root = new OpenAI({ baseURL: gw.url, apiKey: 'unused', maxRetries: 0 });
  const r = await root.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'hello root' }] });
  assert.equal(r.choices[0].message.content, 'hello root');
  const ids = [];
  for await (const m of root.models.list()) ids.push(m.id);
  assert.ok(ids.includes('codestral'));
  const e = await root.embeddings.create({ model: 'echo', input: 'a b' });
  assert.equal(e.data.length, 1);
});

test('ollama-js: two tool calls in one upstream answer, one per line; results back by tool_call_id', opts, async () => {
  const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
  const messages = [{ role: 'user', content: 'weather in Tokyo and Paris?' }];
  const stream = await ollama.chat({ model: 'claude-sonnet-4-5', messages, tools, stream: true });
  const calls = [];
  for await (const part of stream) {
    const c = part.message.tool_calls ?? [];
    assert.ok(c.length <= 1, 'Zed reads only the first call of a line');
    calls.push(...c);
  }
  assert.deepEqual(calls.map((c) => [c.id, c.function.arguments.city]), [['toolu_tokyo', 'Tokyo'], ['toolu_paris', 'Paris']]);
  messages.push({ role: 'assistant', content: '', tool_calls: calls },
    { role: 'tool', tool_call_id: 'toolu_paris', content: 'rain' },
    { role: 'tool', tool_call_id: 'toolu_tokyo', content: 'sun' });
  const r = await ollama.chat({ model: 'claude-sonnet-4-5', messages, tools });
  assert.equal(r.message.content, 'toolu_paris=rain toolu_tokyo=sun');
});
