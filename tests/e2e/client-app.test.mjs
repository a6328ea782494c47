// The request log names the client app from its User-Agent, as the real npm clients send it:
// ollama-js, the openai package (and LangChain's ChatOpenAI on top of it), @anthropic-ai/sdk.
// The `serve` line carries it as app=<id>; the Connect page and the JSONL file read the same
// typed field (tst_firstrun, tst_clientapp).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { ChatOpenAI } from '@langchain/openai';
import { startGateway } from './lib/gateway.mjs';

let gw;

before(async () => {
  gw = await startGateway({
    version: 1,
    providers: [{ name: 'echo', type: 'echo', options: { delay_ms: 1 } }],
  });
});

after(async () => {
  const code = await gw.stop();
  assert.equal(code, 0, 'SIGTERM stops the gateway cleanly');
});

const opts = { timeout: 20000 };

// The serve lines for `path` written since `from` (an offset into the logs).
function lines(from, path) {
  return gw.logs().slice(from).split('\n').filter((l) => l.includes(` ${path} `));
}

async function settled(from, path) {
  // The line is written when the response has ended, which the client may see first.
  for (let i = 0; i < 100 && lines(from, path).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  return lines(from, path);
}

test('ollama-js is named ollama-js', opts, async () => {
  const from = gw.logs().length;
  const ollama = new Ollama({ host: gw.url });
  const r = await ollama.chat({ model: 'echo', messages: [{ role: 'user', content: 'hi' }] });
  assert.ok(r.message.content.length > 0);
  const l = await settled(from, '/api/chat');
  assert.equal(l.length, 1, gw.logs().slice(from));
  assert.match(l[0], / app=ollama-js /);
});

test('the openai package is named openai-sdk, also under LangChain', opts, async () => {
  let from = gw.logs().length;
  const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  await client.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'hi' }] });
  let l = await settled(from, '/v1/chat/completions');
  assert.equal(l.length, 1, gw.logs().slice(from));
  assert.match(l[0], / app=openai-sdk /);

  from = gw.logs().length;
  const llm = new ChatOpenAI({ model: 'echo', apiKey: 'unused', maxRetries: 0, configuration: { baseURL: `${gw.url}/v1` } });
  await llm.invoke('hi');
  l = await settled(from, '/v1/chat/completions');
  assert.equal(l.length, 1, gw.logs().slice(from));
  assert.match(l[0], / app=(openai-sdk|langchain) /);
});

test('@anthropic-ai/sdk is named anthropic-sdk', opts, async () => {
  const from = gw.logs().length;
  const client = new Anthropic({ baseURL: gw.url, apiKey: 'unused', maxRetries: 0 });
  await client.messages.create({ model: 'echo', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
  const l = await settled(from, '/v1/messages');
  assert.equal(l.length, 1, gw.logs().slice(from));
  assert.match(l[0], / app=anthropic-sdk /);
});

test('a request without a User-Agent names no app', opts, async () => {
  const from = gw.logs().length;
  const r = await fetch(`${gw.url}/api/tags`, { headers: { 'User-Agent': '' } });
  assert.equal(r.status, 200);
  const l = await settled(from, '/api/tags');
  assert.equal(l.length, 1, gw.logs().slice(from));
  assert.doesNotMatch(l[0], / app=/);
});
