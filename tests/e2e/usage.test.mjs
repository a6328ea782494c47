// Usage, budgets and prompt caching with the real client libraries against the real binary:
// hard budgets refuse with a 429 that each SDK raises as its own rate-limit error carrying the
// gateway's words; a client's own cache_control reaches the Anthropic upstream as sent; and
// `llm-gateway usage` prints what the serve process recorded in its usage database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import { startGateway, binary } from './lib/gateway.mjs';
import { fakeOpenAI, fakeAnthropic } from './lib/fakes.mjs';

let gw; let fakes; let dataHome;

// The fakes report 11 + 7 tokens (gpt-4o: $0.0000975) and 10 + 9 (Sonnet 4.5: $0.000165): each
// first request uses up its budget, the next one is refused.
const config = (f) => ({
  version: 1,
  providers: [
    { name: 'oai', type: 'openai', base_url: `${f.openai.url}/v1` },
    { name: 'claude', type: 'anthropic', base_url: f.anthropic.url },
  ],
  models: [
    { name: 'gpt-4o', provider: 'oai', model: 'gpt-4o' },
    { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
  ],
  usage: {
    budgets: [
      { provider: 'oai', period: 'month', limit: 0.00005, hard: true },
      { provider: 'claude', period: 'day', limit: 0.0001, hard: true },
    ],
  },
});
const keys = { OAI_API_KEY: 'sk-e2e-key-0000000000', CLAUDE_API_KEY: 'sk-ant-e2e-000000' };

before(async () => {
  fakes = { openai: await fakeOpenAI(), anthropic: await fakeAnthropic() };
  dataHome = mkdtempSync(join(tmpdir(), 'llmgw-usage-'));
  gw = await startGateway(config(fakes), { ...keys, XDG_DATA_HOME: dataHome });
});

after(async () => {
  if (gw) await gw.stop();
  for (const f of Object.values(fakes)) await f.close();
});

const opts = { timeout: 20000 };

test('openai SDK: a used-up hard budget is a RateLimitError with the reason', opts, async () => {
  const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  const ok = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }] });
  assert.equal(ok.choices[0].message.content, 'You said: hello');
  const before = fakes.openai.requests.length;
  await assert.rejects(
    client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'again' }] }),
    (e) => e instanceof OpenAI.RateLimitError && e.status === 429 &&
      /the monthly budget for oai \(\$[\d.]+\) is used up; raise it in Settings → Usage/.test(e.message));
  assert.equal(fakes.openai.requests.length, before, 'the refused request never went upstream');
});

test('ollama-js: the same budget refuses on the Ollama API', opts, async () => {
  const ollama = new Ollama({ host: gw.url });
  await assert.rejects(
    ollama.chat({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    (e) => e.status_code === 429 && /monthly budget for oai/.test(e.message));
});

test('anthropic SDK: cache_control goes as sent, then the daily budget refuses', opts, async () => {
  const client = new Anthropic({ baseURL: gw.url, apiKey: 'unused', maxRetries: 0 });
  const system = [{ type: 'text', text: 'You are terse. '.repeat(400), cache_control: { type: 'ephemeral', ttl: '1h' } }];
  const m = await client.messages.create({ model: 'sonnet', max_tokens: 64, system, messages: [{ role: 'user', content: 'hello' }] });
  assert.equal(m.content[0].text, 'You said: hello');
  const sent = fakes.anthropic.last().body;
  assert.deepEqual(sent.system, system, 'the client\'s breakpoint, unchanged');
  assert.ok(!JSON.stringify(sent.messages).includes('cache_control'), 'and none added');
  await assert.rejects(
    client.messages.create({ model: 'sonnet', max_tokens: 64, messages: [{ role: 'user', content: 'again' }] }),
    (e) => e instanceof Anthropic.RateLimitError && e.status === 429 &&
      e.error?.error?.type === 'rate_limit_error' && /the daily budget for claude/.test(e.message));
});

test('llm-gateway usage prints what serve recorded', opts, async () => {
  assert.equal(await gw.stop(), 0); // its writer writes what it holds on the way out
  gw = null;
  const db = join(dataHome, 'llm-gateway', 'usage.sqlite');
  const csv = execFileSync(binary(), ['usage', '--usage-db', db, '--by', 'provider', '--csv'], { encoding: 'utf8' });
  const lines = csv.trim().split('\n');
  assert.equal(lines[0], 'provider,requests,input_tokens,output_tokens,cached_tokens,cache_write_tokens,reasoning_tokens,cost_usd,unpriced_requests,saved_usd');
  // Two answered (with the fakes' counts), three refused (no tokens, nothing billed).
  assert.deepEqual(lines.slice(1).sort(), [
    'claude,2,10,9,,,,0.000165,0,',
    'oai,3,11,7,,,,0.000097,0,', // $0.0000975, as a double
  ]);
  const table = execFileSync(binary(), ['usage', '--usage-db', db, '--since', 'today'], { encoding: 'utf8' });
  assert.match(table, /^total\s+5\s+21\s+16\s+unknown\s+unknown\s+\$0\.0003\s+–$/m);
});
