// The official openai package's Responses API (client.responses.create / .stream) against the
// gateway's /v1/responses: the echo model, and models routed to fake OpenAI, Anthropic and
// Gemini upstreams (lib/fakes.mjs): text, streaming events, a function-tool round trip,
// images, structured output, reasoning summaries and errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startGateway } from './lib/gateway.mjs';
import { fakeOpenAI, fakeAnthropic, fakeGemini } from './lib/fakes.mjs';

let gw; let fakes; let client;

before(async () => {
  fakes = { openai: await fakeOpenAI(), anthropic: await fakeAnthropic(), gemini: await fakeGemini() };
  gw = await startGateway({
    version: 1,
    providers: [
      { name: 'echo', type: 'echo', options: { delay_ms: 2 } },
      { name: 'oai', type: 'openai', base_url: `${fakes.openai.url}/v1` },
      { name: 'claude', type: 'anthropic', base_url: fakes.anthropic.url },
      { name: 'gem', type: 'gemini', base_url: `${fakes.gemini.url}/v1beta` },
    ],
    models: [
      { name: 'gpt', provider: 'oai', model: 'gpt-4o' },
      { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
      { name: 'flash', provider: 'gem', model: 'gemini-2.5-flash' },
    ],
  }, { OAI_API_KEY: 'sk-e2e-key-0000000000', CLAUDE_API_KEY: 'sk-ant-e2e-000000', GEM_API_KEY: 'AIzaE2EKey00000000000000000' });
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});

after(async () => {
  assert.equal(await gw.stop(), 0);
  for (const f of Object.values(fakes)) await f.close();
});

const opts = { timeout: 20000 };
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).toString('base64');
const tools = [{ type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];

test('echo: create, with output_text, usage and a resp_ id', opts, async () => {
  const r = await client.responses.create({ model: 'echo', input: 'hello there', instructions: 'be brief' });
  assert.match(r.id, /^resp_/);
  assert.equal(r.object, 'response');
  assert.equal(r.status, 'completed');
  assert.equal(r.output_text, 'hello there');
  assert.equal(r.output[0].type, 'message');
  assert.equal(r.output[0].content[0].type, 'output_text');
  assert.equal(r.instructions, 'be brief');
  assert.ok(r.usage.input_tokens > 0 && r.usage.total_tokens === r.usage.input_tokens + r.usage.output_tokens);
});

test('echo: streaming events in order, each with its sequence number', opts, async () => {
  const stream = await client.responses.create({ model: 'echo', input: [{ role: 'user', content: 'a b c' }], stream: true });
  const types = []; let text = ''; let seq = -1; let completed;
  for await (const e of stream) {
    assert.equal(e.sequence_number, seq + 1);
    seq = e.sequence_number;
    types.push(e.type);
    if (e.type === 'response.output_text.delta') text += e.delta;
    if (e.type === 'response.completed') completed = e.response;
  }
  assert.equal(text, 'a b c');
  assert.deepEqual(types.filter((t) => t !== 'response.output_text.delta'), [
    'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
    'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
  assert.equal(completed.output[0].content[0].text, 'a b c');
  assert.ok(completed.usage.output_tokens > 0);
});

test('echo: the SDK stream helper and max_output_tokens → incomplete', opts, async () => {
  const final = await client.responses.stream({ model: 'echo', input: 'one two three' }).finalResponse();
  assert.equal(final.output_text, 'one two three');
  const cut = await client.responses.create({ model: 'echo', input: 'one two three four', max_output_tokens: 2 });
  assert.equal(cut.status, 'incomplete');
  assert.equal(cut.incomplete_details.reason, 'max_output_tokens');
});

test('errors are OpenAI errors, before and during a stream', opts, async () => {
  await assert.rejects(client.responses.create({ model: 'nope', input: 'x' }),
    (e) => e instanceof OpenAI.NotFoundError && /does not exist/.test(e.message));
  await assert.rejects(client.responses.create({ model: 'echo', input: 'x', previous_response_id: 'resp_123' }),
    (e) => e instanceof OpenAI.BadRequestError && /stateless/.test(e.message));
  await assert.rejects(client.responses.create({ model: 'echo', input: 42 }),
    (e) => e instanceof OpenAI.BadRequestError && /input must be/.test(e.message));
  await assert.rejects(client.responses.create({ model: 'echo', input: '/fail 429 slow down' }),
    (e) => e instanceof OpenAI.RateLimitError);
  const stream = await client.responses.create({ model: 'echo', input: '/fail-after 2 upstream broke', stream: true });
  let failed;
  for await (const e of stream) if (e.type === 'response.failed') failed = e.response;
  assert.equal(failed.status, 'failed');
  assert.match(failed.error.message, /upstream broke/);
});

for (const [model, fake] of [['gpt', 'openai'], ['sonnet', 'anthropic'], ['flash', 'gemini']]) {
  test(`${model}: a function tool round trip, streamed and not`, opts, async () => {
    const input = [{ role: 'user', content: 'What is the weather in Tokyo?' }];
    const r1 = await client.responses.create({ model, input, tools });
    const call = r1.output.find((o) => o.type === 'function_call');
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.arguments), { city: 'Tokyo' });
    assert.ok(call.call_id);
    input.push(...r1.output, { type: 'function_call_output', call_id: call.call_id, output: '18C and sunny' });
    const stream = await client.responses.create({ model, input, tools, stream: true });
    let text = '';
    for await (const e of stream) if (e.type === 'response.output_text.delta') text += e.delta;
    assert.equal(text, 'The weather is 18C and sunny.');
    // Streamed calls come as function_call items with their arguments.
    const s = client.responses.stream({ model, tools, input: 'weather in Tokyo?' });
    let args = '';
    s.on('response.function_call_arguments.done', (e) => { args = e.arguments; });
    const final = await s.finalResponse();
    assert.deepEqual(JSON.parse(args), { city: 'Tokyo' });
    assert.equal(final.output.find((o) => o.type === 'function_call').name, 'get_weather');
    assert.ok(fakes[fake].requests.length >= 3);
  });

  test(`${model}: an input_image reaches the model`, opts, async () => {
    const r = await client.responses.create({ model, input: [{ role: 'user', content: [
      { type: 'input_text', text: 'what is this' }, { type: 'input_image', image_url: `data:image/png;base64,${png}` }] }] });
    assert.equal(r.output_text, 'I see 1 image(s).');
  });

  test(`${model}: structured output from text.format json_schema`, opts, async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };
    const r = await client.responses.create({ model, input: 'structured please', text: { format: { type: 'json_schema', name: 'reply', schema, strict: true } } });
    assert.equal(JSON.parse(r.output_text).answer, 'structured please');
    assert.equal(r.text.format.type, 'json_schema');
  });

  test(`${model}: reasoning.effort gives a reasoning summary where the model thinks`, opts, async () => {
    const r = await client.responses.create({ model, input: 'hmm', reasoning: { effort: 'high', summary: 'auto' } });
    assert.equal(r.output_text, 'You said: hmm');
    const reasoning = r.output.find((o) => o.type === 'reasoning');
    if (model === 'gpt') { // gpt-4o cannot think: the effort is dropped, not refused
      assert.equal(reasoning, undefined);
      assert.equal(fakes.openai.last().body.reasoning_effort, undefined);
      return;
    }
    assert.equal(reasoning.summary[0].text, 'Let me think about that.');
    const stream = await client.responses.create({ model, input: 'hmm', reasoning: { effort: 'low' }, stream: true });
    let summary = '';
    for await (const e of stream) if (e.type === 'response.reasoning_summary_text.delta') summary += e.delta;
    assert.equal(summary, 'Let me think about that.');
  });
}

test('the request log names the dialect', opts, async () => {
  const line = /POST \/v1\/responses dialect=responses app=openai-sdk model=gpt via=oai\/gpt-4o 200/;
  assert.match(await gw.logsMatching(line), line);
});
