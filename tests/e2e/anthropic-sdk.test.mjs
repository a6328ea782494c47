// The real Anthropic SDK (@anthropic-ai/sdk) against the gateway's /v1/messages, routed to fake
// OpenAI, Anthropic and Gemini upstreams: create and stream, a tool round trip, images,
// thinking (dropped for a model that cannot think), count_tokens, and errors raised as the
// SDK's own typed errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startGateway } from './lib/gateway.mjs';
import { fakeOpenAI, fakeAnthropic, fakeGemini } from './lib/fakes.mjs';

let gw; let fakes; let client;

const config = (f) => ({
  version: 1,
  providers: [
    { name: 'oai', type: 'openai', base_url: `${f.openai.url}/v1` },
    { name: 'claude', type: 'anthropic', base_url: f.anthropic.url },
    { name: 'gem', type: 'gemini', base_url: `${f.gemini.url}/v1beta` },
  ],
  models: [
    { name: 'gpt-4o', provider: 'oai', model: 'gpt-4o' },
    { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
    { name: 'flash', provider: 'gem', model: 'gemini-2.5-flash' },
  ],
});
const keys = { OAI_API_KEY: 'sk-e2e-key-0000000000', CLAUDE_API_KEY: 'sk-ant-e2e-000000', GEM_API_KEY: 'AIzaE2EKey00000000000000000' };

before(async () => {
  fakes = { openai: await fakeOpenAI(), anthropic: await fakeAnthropic(), gemini: await fakeGemini() };
  gw = await startGateway(config(fakes), keys);
  client = new Anthropic({ baseURL: gw.url, apiKey: 'unused', maxRetries: 0 });
});

after(async () => {
  assert.equal(await gw.stop(), 0);
  for (const f of Object.values(fakes)) await f.close();
});

const opts = { timeout: 20000 };
const tools = [{ name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).toString('base64');

for (const [model, fake] of [['gpt-4o', 'openai'], ['sonnet', 'anthropic'], ['flash', 'gemini'], ['echo', null]]) {
  test(`${model}: messages.create answers in Anthropic's shape`, opts, async () => {
    const m = await client.messages.create({ model, max_tokens: 256, system: 'Be brief.', messages: [{ role: 'user', content: 'hello' }] });
    assert.match(m.id, /^msg_/);
    assert.equal(m.type, 'message');
    assert.equal(m.role, 'assistant');
    assert.equal(m.model, model);
    assert.equal(m.stop_reason, 'end_turn');
    assert.equal(m.content.length, 1);
    assert.equal(m.content[0].type, 'text');
    assert.equal(m.content[0].text, fake ? 'You said: hello' : 'hello');
    assert.ok(m.usage.input_tokens > 0 && m.usage.output_tokens > 0);
  });

  test(`${model}: messages.stream delivers text deltas and the final message`, opts, async () => {
    const stream = client.messages.stream({ model, max_tokens: 256, messages: [{ role: 'user', content: 'hello there' }] });
    let text = ''; const events = [];
    stream.on('text', (t) => { text += t; });
    stream.on('streamEvent', (e) => events.push(e.type));
    const m = await stream.finalMessage();
    assert.equal(text, fake ? 'You said: hello there' : 'hello there');
    assert.equal(m.content[0].text, text);
    assert.equal(m.stop_reason, 'end_turn');
    assert.equal(events[0], 'message_start');
    assert.equal(events.at(-1), 'message_stop');
    assert.ok(events.includes('content_block_delta') && events.includes('message_delta'));
  });
}

for (const [model, fake] of [['gpt-4o', 'openai'], ['sonnet', 'anthropic'], ['flash', 'gemini']]) {
  test(`${model}: a tool round trip, then streamed`, opts, async () => {
    const messages = [{ role: 'user', content: 'What is the weather in Tokyo?' }];
    const r1 = await client.messages.create({ model, max_tokens: 256, tools, tool_choice: { type: 'auto' }, messages });
    assert.equal(r1.stop_reason, 'tool_use');
    const call = r1.content.find((b) => b.type === 'tool_use');
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(call.input, { city: 'Tokyo' });
    assert.ok(call.id);
    messages.push({ role: 'assistant', content: r1.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '18C and sunny' }] });
    const stream = client.messages.stream({ model, max_tokens: 256, tools, messages });
    const final = await stream.finalMessage();
    assert.equal(final.content.find((b) => b.type === 'text').text, 'The weather is 18C and sunny.');
    assert.equal(final.stop_reason, 'end_turn');
    if (fake === 'anthropic') {
      // Nothing lost on the way to Anthropic: the tool id and the result as sent.
      const up = fakes.anthropic.last().body;
      const result = up.messages.at(-1).content.find((b) => b.type === 'tool_result');
      assert.equal(result.tool_use_id, call.id);
    }
  });

  test(`${model}: an image as base64`, opts, async () => {
    const m = await client.messages.create({
      model, max_tokens: 64,
      messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } }, { type: 'text', text: 'look' }] }],
    });
    assert.equal(m.content[0].text, 'I see 1 image(s).');
  });
}

test('thinking: Claude and Gemini think, with thinking_delta events; the signature comes back', opts, async () => {
  for (const model of ['sonnet', 'flash']) {
    const stream = client.messages.stream({ model, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 }, messages: [{ role: 'user', content: 'hello' }] });
    let thinking = '';
    stream.on('thinking', (t) => { thinking += t; });
    const m = await stream.finalMessage();
    assert.equal(thinking, 'Let me think about that.', model);
    assert.equal(m.content[0].type, 'thinking');
    assert.equal(m.content[0].thinking, 'Let me think about that.');
    assert.equal(m.content[0].signature, model === 'sonnet' ? 'sig-1' : '');
    assert.equal(m.content[1].text, 'You said: hello');
  }
  // The client's budget goes to Anthropic as it was sent.
  assert.deepEqual(fakes.anthropic.requests.findLast((q) => q.body.thinking).body.thinking, { type: 'enabled', budget_tokens: 2048 });
});

test('thinking: gpt-4o cannot think, so the request goes without it instead of failing', opts, async () => {
  const m = await client.messages.create({ model: 'gpt-4o', max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 }, messages: [{ role: 'user', content: 'hello' }] });
  assert.equal(m.content.length, 1);
  assert.equal(m.content[0].text, 'You said: hello');
  const up = fakes.openai.last().body;
  assert.equal(up.reasoning_effort, undefined);
});

test('count_tokens estimates the prompt', opts, async () => {
  const small = await client.messages.countTokens({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
  const big = await client.messages.countTokens({ model: 'gpt-4o', system: 'x'.repeat(4000), tools, messages: [{ role: 'user', content: 'hi' }] });
  assert.ok(small.input_tokens > 0);
  assert.ok(big.input_tokens > small.input_tokens + 900, `${big.input_tokens} vs ${small.input_tokens}`);
});

test('errors are the SDK\'s typed errors', opts, async () => {
  await assert.rejects(client.messages.create({ model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    (e) => e instanceof Anthropic.NotFoundError && e.status === 404 && e.error.error.type === 'not_found_error' && /no-such-model/.test(e.message));
  await assert.rejects(client.messages.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    (e) => e instanceof Anthropic.BadRequestError && e.error.error.type === 'invalid_request_error' && /max_tokens/.test(e.message));
  await assert.rejects(client.messages.create({ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'robot', content: 'hi' }] }),
    (e) => e instanceof Anthropic.BadRequestError && /messages\.0\.role/.test(e.message));
  // A mid-stream failure is an error event, raised by the stream.
  const stream = client.messages.stream({ model: 'echo', max_tokens: 64, messages: [{ role: 'user', content: '/fail-after 2 words of text here' }] });
  await assert.rejects(stream.finalMessage(), (e) => e instanceof Anthropic.APIError);
});

test('an access token is accepted as x-api-key (and refused when wrong)', opts, async () => {
  // Loopback clients need the token only when the config asks for it everywhere.
  const guarded = await startGateway({ ...config(fakes), server: { token_for_local_clients: true } },
    { ...keys, LLM_GATEWAY_TOKEN: 'gw-secret-token' });
  try {
    const wrong = new Anthropic({ baseURL: guarded.url, apiKey: 'nope', maxRetries: 0 });
    await assert.rejects(wrong.messages.create({ model: 'echo', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
      (e) => e instanceof Anthropic.AuthenticationError && e.error.error.type === 'authentication_error');
    const right = new Anthropic({ baseURL: guarded.url, apiKey: 'gw-secret-token', maxRetries: 0 });
    const m = await right.messages.create({ model: 'echo', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(m.content[0].text, 'hi');
    const bearer = new Anthropic({ baseURL: guarded.url, authToken: 'gw-secret-token', apiKey: null, maxRetries: 0 });
    assert.equal((await bearer.messages.create({ model: 'echo', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })).content[0].text, 'hi');
  } finally {
    assert.equal(await guarded.stop(), 0);
  }
});
