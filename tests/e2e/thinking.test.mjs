// Thinking levels, log probabilities and the providers' rules through the real client libraries:
// ollama-js (think levels on /api/chat and /api/generate, logprobs), the openai package
// (reasoning_effort incl. none/minimal, the /v1 thinking fields, logprobs) and LangChain's
// ChatOpenAI (logprobs), routed to fake OpenAI, Anthropic, Gemini and Ollama upstreams that assert
// what they received.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { ChatOpenAI } from '@langchain/openai';
import { ChatOllama } from '@langchain/ollama';
import { startGateway } from './lib/gateway.mjs';
import { fakeOpenAI, fakeAnthropic, fakeGemini, fakeOllama } from './lib/fakes.mjs';

let gw; let fakes; let ollama; let openai;
const thinks = ['completion', 'tools', 'thinking'];

before(async () => {
  fakes = { openai: await fakeOpenAI(), anthropic: await fakeAnthropic(), gemini: await fakeGemini(), ollama: await fakeOllama() };
  gw = await startGateway({
    version: 1,
    providers: [
      { name: 'oai', type: 'openai', base_url: `${fakes.openai.url}/v1`, options: { requires_key: true } },
      { name: 'claude', type: 'anthropic', base_url: fakes.anthropic.url },
      { name: 'gem', type: 'gemini', base_url: `${fakes.gemini.url}/v1beta` },
      { name: 'local', type: 'ollama', base_url: fakes.ollama.url },
    ],
    models: [
      { name: 'gpt', provider: 'oai', model: 'gpt-4o' },
      { name: 'gpt51', provider: 'oai', model: 'gpt-5.1' },
      { name: 'gpt5', provider: 'oai', model: 'gpt-5-mini' },
      { name: 'qwen', provider: 'oai', model: 'qwen3-32b', capabilities: thinks },
      { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
      { name: 'opus46', provider: 'claude', model: 'claude-opus-4-6' },
      { name: 'flash3', provider: 'gem', model: 'gemini-3-flash-preview' },
      { name: 'pro25', provider: 'gem', model: 'gemini-2.5-pro' },
      { name: 'llama', provider: 'local', model: 'qwen3', capabilities: thinks },
    ],
  }, { OAI_API_KEY: 'sk-e2e-key-0000000000', CLAUDE_API_KEY: 'sk-ant-e2e-000000', GEM_API_KEY: 'AIzaE2EKey00000000000000000' });
  ollama = new Ollama({ host: gw.url });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});

after(async () => {
  assert.equal(await gw.stop(), 0);
  for (const f of Object.values(fakes)) await f.close();
});

const opts = { timeout: 20000 };
const user = (content) => [{ role: 'user', content }];
// The serve line of the latest request that mentions `what`, once it is written: a request's
// line is written after its response, on the gateway's thread, so an older line may be the
// latest for a moment; with `pattern`, wait (up to 5 s) until the latest one matches it.
async function logLine(what, pattern) {
  let line = '';
  for (const end = Date.now() + 5000; Date.now() < end;) {
    line = gw.logs().split('\n').reverse().find((l) => l.includes(what)) ?? '';
    if (line && (!pattern || pattern.test(line))) return line;
    await new Promise((r) => setTimeout(r, 10));
  }
  return line;
}

test('ollama-js think levels reach each provider\'s own control, on /api/chat and /api/generate', opts, async () => {
  await ollama.chat({ model: 'gpt51', think: 'high', messages: user('hmm') });
  assert.equal(fakes.openai.last().body.reasoning_effort, 'high');
  await ollama.chat({ model: 'gpt51', think: false, messages: user('hmm') });
  assert.equal(fakes.openai.last().body.reasoning_effort, 'none');

  const low = await ollama.chat({ model: 'sonnet', think: 'low', messages: user('hmm') });
  assert.deepEqual(fakes.anthropic.last().body.thinking, { type: 'enabled', budget_tokens: 1024 });
  assert.equal(low.message.thinking, 'Let me think about that.');
  await ollama.chat({ model: 'opus46', think: 'medium', messages: user('hmm') });
  assert.deepEqual(fakes.anthropic.last().body.thinking, { type: 'adaptive' });
  assert.deepEqual(fakes.anthropic.last().body.output_config, { effort: 'medium' });

  const gen = await ollama.generate({ model: 'flash3', prompt: 'hmm', think: 'low' });
  assert.deepEqual(fakes.gemini.last().body.generationConfig.thinkingConfig, { includeThoughts: true, thinkingLevel: 'LOW' });
  assert.equal(gen.thinking, 'Let me think about that.');
  assert.equal(gen.response, 'You said: hmm');

  // 2.5 Pro cannot stop thinking: the least it takes, and the log says so.
  const off = await ollama.generate({ model: 'pro25', prompt: 'quick', think: false });
  assert.equal(off.thinking, undefined);
  assert.deepEqual(fakes.gemini.last().body.generationConfig.thinkingConfig, { thinkingBudget: 128 });
  const budget = /adjusted="thinkingBudget off sent as 128: the model has no such setting"/;
  assert.match(await logLine('model=pro25', budget), budget);

  await ollama.chat({ model: 'llama', think: 'high', messages: user('hmm') });
  assert.equal(fakes.ollama.last().body.think, 'high');
});

test('LangChain\'s ChatOllama think reaches Claude as a budget and Gemini 3 as its default level', opts, async () => {
  const claude = await new ChatOllama({ model: 'sonnet', baseUrl: gw.url, think: true }).invoke('hmm');
  assert.deepEqual(fakes.anthropic.last().body.thinking, { type: 'enabled', budget_tokens: 4096 });
  assert.equal(claude.additional_kwargs.reasoning_content, 'Let me think about that.');
  assert.equal(claude.content, 'You said: hmm');
  await new ChatOllama({ model: 'flash3', baseUrl: gw.url, think: false }).invoke('quick');
  assert.deepEqual(fakes.gemini.last().body.generationConfig.thinkingConfig, { thinkingLevel: 'MINIMAL' });
});

test('openai reasoning_effort none and minimal, and the thinking text under every /v1 name', opts, async () => {
  await openai.chat.completions.create({ model: 'gpt51', reasoning_effort: 'none', messages: user('hi') });
  assert.equal(fakes.openai.last().body.reasoning_effort, 'none');
  await openai.chat.completions.create({ model: 'gpt5', reasoning_effort: 'minimal', messages: user('hi') });
  assert.equal(fakes.openai.last().body.reasoning_effort, 'minimal');
  await openai.chat.completions.create({ model: 'gpt51', reasoning_effort: 'minimal', temperature: 0.5, messages: user('hi') });
  assert.equal(fakes.openai.last().body.reasoning_effort, 'low');
  assert.equal(fakes.openai.last().body.temperature, undefined);
  const line = await logLine('model=gpt51', /reasoning_effort minimal sent as low/);
  assert.match(line, /adjusted="reasoning_effort minimal sent as low: the model has no such setting"/);
  assert.match(line, /adjusted="temperature left out: reasoning models refuse it"/);

  const r = await openai.chat.completions.create({ model: 'qwen', reasoning_effort: 'low', messages: user('hmm') });
  const m = r.choices[0].message;
  for (const k of ['reasoning_content', 'reasoning', 'reasoning_text']) assert.equal(m[k], 'Let me think about that.', k);
  const stream = await openai.chat.completions.create({ model: 'qwen', reasoning_effort: 'high', stream: true, messages: user('hmm') });
  const seen = { reasoning_content: '', reasoning: '', reasoning_text: '' };
  let text = '';
  for await (const c of stream) {
    const d = c.choices[0]?.delta ?? {};
    for (const k of Object.keys(seen)) seen[k] += d[k] ?? '';
    text += d.content ?? '';
  }
  assert.deepEqual(seen, { reasoning_content: 'Let me think about that.', reasoning: 'Let me think about that.', reasoning_text: 'Let me think about that.' });
  assert.equal(text, 'You said: hmm');
});

test('ollama-js logprobs and top_logprobs, streamed and not, from OpenAI, Gemini and Ollama upstreams', opts, async () => {
  const r = await ollama.chat({ model: 'gpt', logprobs: true, top_logprobs: 2, messages: user('two words') });
  assert.equal(fakes.openai.last().body.logprobs, true);
  assert.equal(fakes.openai.last().body.top_logprobs, 2);
  assert.deepEqual(r.logprobs.map((l) => l.token), ['You', ' said:', ' two', ' words']);
  assert.deepEqual(r.logprobs[0].top_logprobs.map((t) => t.token), ['You', 'YOU']);
  assert.deepEqual(r.logprobs[0].bytes, [89, 111, 117]);

  const stream = await ollama.chat({ model: 'llama', logprobs: true, stream: true, messages: user('hello there') });
  const tokens = [];
  for await (const c of stream) for (const l of c.logprobs ?? []) tokens.push(l.token);
  assert.equal(fakes.ollama.last().body.logprobs, true);
  assert.deepEqual(tokens, ['You', ' said:', ' hello', ' there']);

  const gen = await ollama.generate({ model: 'flash3', prompt: 'ok', logprobs: true, top_logprobs: 1 });
  assert.equal(fakes.gemini.last().body.generationConfig.responseLogprobs, true);
  assert.equal(fakes.gemini.last().body.generationConfig.logprobs, 1);
  assert.deepEqual(gen.logprobs.map((l) => [l.token, l.logprob, l.top_logprobs.length]), [['You', -0.1, 1], [' said:', -0.1, 1], [' ok', -0.1, 1]]);
});

test('logprobs from a provider without them: a clear 400 in each dialect', opts, async () => {
  const before = fakes.anthropic.requests.length;
  await assert.rejects(ollama.chat({ model: 'sonnet', logprobs: true, messages: user('hi') }),
    (e) => e.status_code === 400 && /provider 'claude' \(type 'anthropic'\) does not return log probabilities/.test(e.error));
  await assert.rejects(openai.chat.completions.create({ model: 'sonnet', logprobs: true, messages: user('hi') }),
    (e) => e.status === 400 && /does not return log probabilities/.test(e.message));
  await assert.rejects(ollama.chat({ model: 'gpt', logprobs: true, top_logprobs: 21, messages: user('hi') }),
    (e) => e.status_code === 400 && e.error === 'top_logprobs must be between 0 and 20');
  assert.equal(fakes.anthropic.requests.length, before);
});

test('the openai package and LangChain read logprobs in OpenAI\'s shape', opts, async () => {
  const r = await openai.chat.completions.create({ model: 'flash3', logprobs: true, top_logprobs: 2, messages: user('hi') });
  assert.deepEqual(r.choices[0].logprobs.content.map((t) => t.token), ['You', ' said:', ' hi']);
  assert.deepEqual(r.choices[0].logprobs.content[2].top_logprobs.map((t) => t.token), [' hi', ' HI']);
  const stream = await openai.chat.completions.create({ model: 'gpt', logprobs: true, stream: true, messages: user('a b') });
  const tokens = [];
  for await (const c of stream) for (const t of c.choices[0]?.logprobs?.content ?? []) tokens.push(t.token);
  assert.deepEqual(tokens, ['You', ' said:', ' a', ' b']);

  const resp = await openai.responses.create({ model: 'gpt', input: 'resp onses', include: ['message.output_text.logprobs'], top_logprobs: 1 });
  const part = resp.output.find((i) => i.type === 'message').content[0];
  assert.deepEqual(part.logprobs.map((t) => t.token), ['You', ' said:', ' resp', ' onses']);
  assert.equal(fakes.openai.last().body.top_logprobs, 1);

  const legacy = await openai.completions.create({ model: 'gpt', prompt: 'old style', logprobs: 2 });
  assert.deepEqual(legacy.choices[0].logprobs.tokens, ['You', ' said:', ' old', ' style']);
  assert.deepEqual(Object.keys(legacy.choices[0].logprobs.top_logprobs[0]), ['You', 'YOU']);
  assert.deepEqual(legacy.choices[0].logprobs.text_offset, [0, 3, 9, 13]);

  const lc = new ChatOpenAI({ model: 'gpt', apiKey: 'unused', configuration: { baseURL: `${gw.url}/v1` }, logprobs: true, topLogprobs: 1, maxRetries: 0 });
  const msg = await lc.invoke('lang chain');
  assert.deepEqual(msg.response_metadata.logprobs.content.map((t) => t.token), ['You', ' said:', ' lang', ' chain']);
  assert.equal(fakes.openai.last().body.top_logprobs, 1);
});

test('Claude gets temperature without top_p, and the log says why', opts, async () => {
  const r = await ollama.chat({ model: 'sonnet', options: { temperature: 0.2, top_p: 0.9 }, messages: user('careful') });
  assert.equal(r.message.content, 'You said: careful');
  const body = fakes.anthropic.last().body;
  assert.equal(body.temperature, 0.2);
  assert.equal(body.top_p, undefined);
  const topP = /adjusted="top_p left out: the model takes temperature or top_p, not both; temperature wins"/;
  assert.match(await logLine('model=sonnet', topP), topP);
});
