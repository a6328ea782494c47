// Both client libraries routed through the gateway to fake OpenAI, Anthropic and Gemini
// upstreams that speak each provider's wire format: a tool loop, images, JSON output and
// thinking, through /api/chat (ollama-js) and /v1/chat/completions (openai).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { startGateway } from './lib/gateway.mjs';
import { fakeOpenAI, fakeAnthropic, fakeGemini } from './lib/fakes.mjs';

let gw; let fakes; let ollama; let openai;

before(async () => {
  fakes = { openai: await fakeOpenAI(), anthropic: await fakeAnthropic(), gemini: await fakeGemini() };
  gw = await startGateway({
    version: 1,
    providers: [
      { name: 'oai', type: 'openai', base_url: `${fakes.openai.url}/v1`, options: { requires_key: true } },
      { name: 'claude', type: 'anthropic', base_url: fakes.anthropic.url },
      { name: 'gem', type: 'gemini', base_url: `${fakes.gemini.url}/v1beta` },
      { name: 'hf', type: 'huggingface', base_url: `${fakes.openai.url}/v1` },
    ],
    models: [
      { name: 'gpt', provider: 'oai', model: 'gpt-4o' },
      { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
      { name: 'flash', provider: 'gem', model: 'gemini-2.5-flash' },
      { name: 'qwen', provider: 'hf', model: 'Qwen/Qwen3-8B:cerebras' },
      { name: 'embedder', provider: 'oai', model: 'text-embedding-3-small' },
    ],
  }, { OAI_API_KEY: 'sk-e2e-key-0000000000', CLAUDE_API_KEY: 'sk-ant-e2e-000000', GEM_API_KEY: 'AIzaE2EKey00000000000000000', HF_TOKEN: 'hf_e2etoken000000000' });
  ollama = new Ollama({ host: gw.url });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});

after(async () => {
  assert.equal(await gw.stop(), 0);
  for (const f of Object.values(fakes)) await f.close();
});

const opts = { timeout: 20000 };
const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).toString('base64');

for (const [model, fake] of [['gpt', 'openai'], ['sonnet', 'anthropic'], ['flash', 'gemini'], ['qwen', 'openai']]) {
  test(`${model}: a tool loop with ollama-js, arguments as objects`, opts, async () => {
    const messages = [{ role: 'user', content: 'What is the weather in Tokyo?' }];
    const r1 = await ollama.chat({ model, messages, tools });
    const call = r1.message.tool_calls[0];
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(call.function.arguments, { city: 'Tokyo' });
    messages.push(r1.message, { role: 'tool', content: '18C and sunny', tool_name: 'get_weather' });
    const stream = await ollama.chat({ model, messages, tools, stream: true });
    let text = '';
    for await (const c of stream) text += c.message.content;
    assert.equal(text, 'The weather is 18C and sunny.');
  });

  test(`${model}: images, JSON output and thinking with ollama-js`, opts, async () => {
    const img = await ollama.chat({ model, messages: [{ role: 'user', content: 'look', images: [png] }] });
    assert.equal(img.message.content, 'I see 1 image(s).');
    const json = await ollama.chat({ model, format: { type: 'object', properties: { answer: { type: 'string' } } }, messages: [{ role: 'user', content: 'structured please' }] });
    assert.equal(JSON.parse(json.message.content).answer, 'structured please');
    if (model !== 'gpt') { // OpenAI's own models return no reasoning text
      const t = await ollama.chat({ model, think: true, messages: [{ role: 'user', content: 'hmm' }] });
      assert.equal(t.message.thinking, 'Let me think about that.');
      assert.equal(t.message.content, 'You said: hmm');
    }
    assert.ok(fakes[fake].requests.length > 0);
  });

  test(`${model}: a tool loop with the openai package`, opts, async () => {
    const messages = [{ role: 'user', content: 'weather in Tokyo please' }];
    const r1 = await openai.chat.completions.create({ model, messages, tools });
    assert.equal(r1.choices[0].finish_reason, 'tool_calls');
    const call = r1.choices[0].message.tool_calls[0];
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Tokyo' });
    messages.push(r1.choices[0].message, { role: 'tool', tool_call_id: call.id, content: 'rainy' });
    const stream = await openai.chat.completions.create({ model, messages, tools, stream: true });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    assert.equal(text, 'The weather is rainy.');
    const img = await openai.chat.completions.create({ model, messages: [{ role: 'user', content: [{ type: 'text', text: 'see' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }] }] });
    assert.equal(img.choices[0].message.content, 'I see 1 image(s).');
    if (model !== 'gpt') { // reasoning comes back as reasoning_content, streamed and not
      const t = await openai.chat.completions.create({ model, reasoning_effort: 'high', messages: [{ role: 'user', content: 'hmm' }] });
      assert.equal(t.choices[0].message.reasoning_content, 'Let me think about that.');
      assert.equal(t.choices[0].message.content, 'You said: hmm');
      const ts = await openai.chat.completions.create({ model, reasoning_effort: 'low', stream: true, messages: [{ role: 'user', content: 'hmm' }] });
      let reasoning = '';
      for await (const c of ts) reasoning += c.choices[0]?.delta?.reasoning_content ?? '';
      assert.equal(reasoning, 'Let me think about that.');
    }
  });
}

test('what reached each upstream is in its own dialect', opts, async () => {
  const o = fakes.openai.requests.find((r) => r.body?.tools);
  assert.equal(o.headers.authorization, 'Bearer sk-e2e-key-0000000000');
  assert.equal(o.body.model, 'gpt-4o');
  const a = fakes.anthropic.requests.find((r) => r.body.tools);
  assert.equal(a.headers['x-api-key'], 'sk-ant-e2e-000000');
  assert.equal(a.headers['anthropic-version'], '2023-06-01');
  assert.ok(a.body.max_tokens > 0);
  assert.equal(a.body.tools[0].input_schema.required[0], 'city');
  const img = fakes.anthropic.requests.find((r) => r.body.messages.some((m) => m.content.some((b) => b.type === 'image')));
  assert.equal(img.body.messages.at(-1).content.find((b) => b.type === 'image').source.media_type, 'image/png');
  const g = fakes.gemini.requests.find((r) => r.body.tools);
  assert.equal(g.headers['x-goog-api-key'], 'AIzaE2EKey00000000000000000');
  assert.match(g.url, /^\/v1beta\/models\/gemini-2\.5-flash:streamGenerateContent\?alt=sse$/);
  const loop = fakes.gemini.requests.find((r) => r.body.contents.some((c) => c.parts.some((p) => p.functionResponse)));
  assert.equal(loop.body.contents[1].role, 'model');
  assert.equal(loop.body.contents[1].parts[0].thoughtSignature, 'gsig'); // restored for the next turn
});

test('the HuggingFace router gets the model id verbatim, with the HF token', opts, async () => {
  const hf = fakes.openai.requests.filter((r) => r.body?.model === 'Qwen/Qwen3-8B:cerebras');
  assert.ok(hf.length >= 4);
  assert.equal(hf[0].headers.authorization, 'Bearer hf_e2etoken000000000');
  assert.ok(hf.some((r) => r.body.reasoning_effort)); // think → reasoning_effort, read back as thinking
});

test('embeddings through a provider, from both clients', opts, async () => {
  const r = await ollama.embed({ model: 'embedder', input: ['abc'] });
  assert.ok(Math.abs(Math.hypot(...r.embeddings[0]) - 1) < 1e-9);
  const e = await openai.embeddings.create({ model: 'embedder', input: 'abcd', encoding_format: 'float' });
  assert.equal(e.data[0].embedding.length, 3);
});
