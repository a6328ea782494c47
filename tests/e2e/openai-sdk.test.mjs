// The official openai package against the gateway's /v1 API, with the echo model.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startGateway } from './lib/gateway.mjs';

let gw;
let client;

before(async () => {
  gw = await startGateway({ version: 1, providers: [{ name: 'echo', type: 'echo', options: { delay_ms: 2 } }], models: [] });
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
after(async () => assert.equal(await gw.stop(), 0));

const opts = { timeout: 20000 };

test('models: list and retrieve', opts, async () => {
  const list = await client.models.list();
  assert.ok(list.data.some((m) => m.id === 'echo' && m.object === 'model'));
  const m = await client.models.retrieve('echo');
  assert.equal(m.id, 'echo');
  await assert.rejects(client.models.retrieve('ghost'), (e) => e.status === 404);
});

test('chat completion', opts, async () => {
  const r = await client.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'hi there' }] });
  assert.equal(r.object, 'chat.completion');
  assert.equal(r.choices[0].message.content, 'hi there');
  assert.equal(r.choices[0].finish_reason, 'stop');
  assert.ok(r.usage.completion_tokens > 0);
});

test('streaming with usage', opts, async () => {
  const stream = await client.chat.completions.create({ model: 'echo', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'a b c' }] });
  let text = ''; let usage; let finish;
  for await (const c of stream) {
    if (c.usage) usage = c.usage;
    const ch = c.choices[0];
    if (ch?.delta?.content) text += ch.delta.content;
    if (ch?.finish_reason) finish = ch.finish_reason;
  }
  assert.equal(text, 'a b c');
  assert.equal(finish, 'stop');
  assert.ok(usage.prompt_tokens > 0 && usage.total_tokens === usage.prompt_tokens + usage.completion_tokens);
});

test('tools: string arguments and finish_reason tool_calls', opts, async () => {
  const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
  const r = await client.chat.completions.create({ model: 'echo', tools, messages: [{ role: 'user', content: 'call get_weather {"city":"Oslo"}' }] });
  const call = r.choices[0].message.tool_calls[0];
  assert.equal(r.choices[0].finish_reason, 'tool_calls');
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Oslo' });
  const r2 = await client.chat.completions.create({ model: 'echo', tools, messages: [
    { role: 'user', content: 'weather?' }, r.choices[0].message, { role: 'tool', tool_call_id: call.id, content: '3C' }] });
  assert.equal(r2.choices[0].message.content, 'Tool get_weather returned: 3C');
  // The helper the SDK offers for tool streams works too.
  const stream = client.chat.completions.stream({ model: 'echo', tools, messages: [{ role: 'user', content: 'call get_weather {"city":"Rome"}' }] });
  const final = await stream.finalChatCompletion();
  assert.deepEqual(JSON.parse(final.choices[0].message.tool_calls[0].function.arguments), { city: 'Rome' });
});

test('embeddings, in the SDK default base64 encoding and as floats', opts, async () => {
  const r = await client.embeddings.create({ model: 'echo', input: ['red apple', 'green apple'] });
  assert.equal(r.data.length, 2);
  assert.ok(Math.abs(Math.hypot(...r.data[0].embedding) - 1) < 1e-5);
  const f = await client.embeddings.create({ model: 'echo', input: 'x y', encoding_format: 'float', dimensions: 8 });
  assert.equal(f.data[0].embedding.length, 8);
});

test('legacy completions', opts, async () => {
  const r = await client.completions.create({ model: 'echo', prompt: 'finish this', max_tokens: 1 });
  assert.equal(r.choices[0].text, 'finish');
  assert.equal(r.choices[0].finish_reason, 'length');
});

test('errors are OpenAI errors', opts, async () => {
  await assert.rejects(client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }),
    (e) => e instanceof OpenAI.NotFoundError && /does not exist/.test(e.message));
  await assert.rejects(client.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: '/fail 429 too fast' }] }),
    (e) => e instanceof OpenAI.RateLimitError && /too fast/.test(e.message));
  await assert.rejects(client.chat.completions.create({ model: 'echo', messages: [] }), (e) => e.status === 400);
});
