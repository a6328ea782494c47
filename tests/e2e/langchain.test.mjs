// LangChain.js through the gateway: @langchain/ollama (ChatOllama, OllamaEmbeddings) against
// /api/* and @langchain/openai (ChatOpenAI, OpenAIEmbeddings) against /v1, routed to the fake
// OpenAI, Anthropic and Gemini upstreams. Chat, streaming, tool calls, structured output,
// thinking and embeddings: what docs/clients.md promises for LangChain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ChatOllama, OllamaEmbeddings } from '@langchain/ollama';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { HumanMessage, ToolMessage } from '@langchain/core/messages';
import { startGateway } from './lib/gateway.mjs';
import { fakeOpenAI, fakeAnthropic, fakeGemini } from './lib/fakes.mjs';

let gw; let fakes;

before(async () => {
  fakes = { openai: await fakeOpenAI(), anthropic: await fakeAnthropic(), gemini: await fakeGemini() };
  gw = await startGateway({
    version: 1,
    providers: [
      { name: 'oai', type: 'openai', base_url: `${fakes.openai.url}/v1` },
      { name: 'claude', type: 'anthropic', base_url: fakes.anthropic.url },
      { name: 'gem', type: 'gemini', base_url: `${fakes.gemini.url}/v1beta` },
      { name: 'echo', type: 'echo', options: { delay_ms: 1 } },
    ],
    models: [
      { name: 'gpt', provider: 'oai', model: 'gpt-4o' },
      { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
      { name: 'flash', provider: 'gem', model: 'gemini-2.5-flash' },
      { name: 'embedder', provider: 'oai', model: 'text-embedding-3-small' },
    ],
  }, { OAI_API_KEY: 'sk-lc-key-00000000000', CLAUDE_API_KEY: 'sk-ant-lc-000000', GEM_API_KEY: 'AIzaLcKey000000000000000000' });
});

after(async () => {
  assert.equal(await gw.stop(), 0);
  for (const f of Object.values(fakes)) await f.close();
});

const opts = { timeout: 20000 };
const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather', description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const answerSchema = {
  title: 'Answer', description: 'The answer', type: 'object',
  properties: { answer: { type: 'string' } }, required: ['answer'],
};

const ollamaChat = (model, extra = {}) => new ChatOllama({ baseUrl: gw.url, model, ...extra });
const openaiChat = (model, extra = {}) => new ChatOpenAI({
  model, apiKey: 'unused', maxRetries: 0, configuration: { baseURL: `${gw.url}/v1` }, ...extra,
});

for (const [name, make] of [['ChatOllama', ollamaChat], ['ChatOpenAI', openaiChat]]) {
  test(`${name}: invoke and stream with the echo model`, opts, async () => {
    const llm = make('echo');
    const r = await llm.invoke('hello from langchain');
    assert.equal(r.content, 'hello from langchain');
    let text = ''; let chunks = 0;
    for await (const c of await llm.stream('one two three four')) { text += c.content; chunks++; }
    assert.equal(text, 'one two three four');
    assert.ok(chunks >= 4, `streamed in ${chunks} chunk(s)`);
  });

  for (const model of ['gpt', 'sonnet', 'flash']) {
    test(`${name} → ${model}: a tool loop with bindTools`, opts, async () => {
      const llm = make(model).bindTools([weatherTool]);
      const messages = [new HumanMessage('What is the weather in Tokyo?')];
      const ai = await llm.invoke(messages);
      assert.equal(ai.tool_calls.length, 1);
      assert.equal(ai.tool_calls[0].name, 'get_weather');
      assert.deepEqual(ai.tool_calls[0].args, { city: 'Tokyo' });
      messages.push(ai, new ToolMessage({ content: '18C and sunny', tool_call_id: ai.tool_calls[0].id, name: 'get_weather' }));
      let text = '';
      for await (const c of await llm.stream(messages)) text += c.content;
      assert.equal(text, 'The weather is 18C and sunny.');
    });

    test(`${name} → ${model}: structured output`, opts, async () => {
      const structured = make(model).withStructuredOutput(answerSchema, { name: 'Answer' });
      const r = await structured.invoke('structured please');
      assert.equal(r.answer, 'structured please');
    });
  }
}

test('ChatOllama: thinking comes back apart from the answer', opts, async () => {
  for (const model of ['sonnet', 'flash']) {
    const r = await ollamaChat(model, { think: true }).invoke('hmm');
    assert.equal(r.content, 'You said: hmm');
    assert.equal(r.additional_kwargs.reasoning_content, 'Let me think about that.', model);
  }
});

test('ChatOpenAI: usage metadata on streams and answers', opts, async () => {
  const r = await openaiChat('gpt').invoke('count me');
  assert.equal(r.content, 'You said: count me');
  assert.ok(r.usage_metadata.input_tokens > 0 && r.usage_metadata.output_tokens > 0);
  let last;
  for await (const c of await openaiChat('gpt', { streamUsage: true }).stream('count me')) if (c.usage_metadata) last = c.usage_metadata;
  assert.ok(last && last.total_tokens === last.input_tokens + last.output_tokens);
});

test('OllamaEmbeddings and OpenAIEmbeddings through a provider', opts, async () => {
  const oe = new OllamaEmbeddings({ baseUrl: gw.url, model: 'embedder' });
  const [a, b] = await oe.embedDocuments(['abc', 'abcdef']);
  assert.equal(a.length, 3);
  assert.ok(Math.abs(Math.hypot(...a) - 1) < 1e-6 && Math.abs(Math.hypot(...b) - 1) < 1e-6);
  const q = await oe.embedQuery('abc');
  assert.deepEqual(q.map((x) => x.toFixed(6)), a.map((x) => x.toFixed(6)));
  const e = new OpenAIEmbeddings({ model: 'embedder', apiKey: 'unused', maxRetries: 0, configuration: { baseURL: `${gw.url}/v1` } });
  const v = await e.embedQuery('abcd');
  assert.equal(v.length, 3);
  const req = fakes.openai.requests.filter((r) => r.url.endsWith('/embeddings'));
  assert.ok(req.length >= 2 && req.every((r) => r.headers.authorization === 'Bearer sk-lc-key-00000000000'));
});

test('errors reach LangChain as errors with the gateway\'s words', opts, async () => {
  await assert.rejects(ollamaChat('no-such-model').invoke('x'), /not found/);
  await assert.rejects(openaiChat('no-such-model').invoke('x'), /does not exist/);
});
