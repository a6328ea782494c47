// The two agent dialects over the provider types the SDK suites do not cover: Azure OpenAI
// (deployment URLs, api-key header), HuggingFace's router and a real Ollama as upstream. Each
// gets a tool round trip through the real Anthropic SDK (/v1/messages) and the real openai SDK's
// Responses API (/v1/responses), the first turn whole and the second streamed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startGateway } from './lib/gateway.mjs';
import { fakeOpenAI, fakeOllama } from './lib/fakes.mjs';

let gw; let fakes; let anthropic; let openai;

before(async () => {
  fakes = { openai: await fakeOpenAI(), ollama: await fakeOllama() };
  gw = await startGateway({
    version: 1,
    providers: [
      { name: 'az', type: 'azure-openai', base_url: fakes.openai.url, options: { api_version: '2025-01-01' } },
      { name: 'hf', type: 'huggingface', base_url: `${fakes.openai.url}/v1` },
      { name: 'home', type: 'ollama', base_url: fakes.ollama.url },
    ],
    models: [
      { name: 'azgpt', provider: 'az', model: 'my-deployment' },
      { name: 'qwen', provider: 'hf', model: 'Qwen/Qwen3-8B:cerebras' },
      { name: 'local-qwen', provider: 'home', model: 'qwen3:8b' },
    ],
  }, { AZ_API_KEY: 'azure-key-0123456789', HF_TOKEN: 'hf_e2etoken000000000' });
  anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'unused', maxRetries: 0 });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});

after(async () => {
  assert.equal(await gw.stop(), 0);
  for (const f of Object.values(fakes)) await f.close();
});

const opts = { timeout: 20000 };
const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
const upstreams = [
  ['azgpt', 'openai', (r) => r.url.startsWith('/openai/deployments/my-deployment/chat/completions?api-version=2025-01-01') && r.headers['api-key'] === 'azure-key-0123456789'],
  ['qwen', 'openai', (r) => r.body.model === 'Qwen/Qwen3-8B:cerebras' && r.headers.authorization === 'Bearer hf_e2etoken000000000'],
  ['local-qwen', 'ollama', (r) => r.url === '/api/chat' && r.body.model === 'qwen3:8b'],
];

for (const [model, fake, reachedIt] of upstreams) {
  test(`${model}: a tool round trip through /v1/messages (Anthropic SDK)`, opts, async () => {
    const tools = [{ name: 'get_weather', description: 'Weather for a city', input_schema: schema }];
    const messages = [{ role: 'user', content: 'What is the weather in Tokyo?' }];
    const r1 = await anthropic.messages.create({ model, max_tokens: 256, tools, messages });
    assert.ok(reachedIt(fakes[fake].last()), JSON.stringify(fakes[fake].last().url));
    assert.equal(r1.stop_reason, 'tool_use');
    const call = r1.content.find((b) => b.type === 'tool_use');
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(call.input, { city: 'Tokyo' });
    messages.push({ role: 'assistant', content: r1.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '18C and sunny' }] });
    const stream = anthropic.messages.stream({ model, max_tokens: 256, tools, messages });
    let text = '';
    stream.on('text', (t) => { text += t; });
    const final = await stream.finalMessage();
    assert.equal(text, 'The weather is 18C and sunny.');
    assert.equal(final.stop_reason, 'end_turn');
  });

  test(`${model}: a tool round trip through /v1/responses (openai SDK)`, opts, async () => {
    const tools = [{ type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: schema }];
    const input = [{ role: 'user', content: 'What is the weather in Tokyo?' }];
    const r1 = await openai.responses.create({ model, tools, input });
    assert.ok(reachedIt(fakes[fake].last()), JSON.stringify(fakes[fake].last().url));
    const call = r1.output.find((o) => o.type === 'function_call');
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.arguments), { city: 'Tokyo' });
    input.push(...r1.output, { type: 'function_call_output', call_id: call.call_id, output: '18C and sunny' });
    const stream = openai.responses.stream({ model, tools, input });
    let text = '';
    stream.on('response.output_text.delta', (e) => { text += e.delta; });
    const final = await stream.finalResponse();
    assert.equal(text, 'The weather is 18C and sunny.');
    assert.equal(final.status, 'completed');
    assert.equal(final.output_text, 'The weather is 18C and sunny.');
  });
}
