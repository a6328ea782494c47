// Soak: thousands of mixed requests through `serve` — streamed and whole, both dialects, the
// echo model and a fake upstream that sometimes fails before answering or dies mid-stream,
// clients that hang up mid-stream — checking that every request got a complete answer or a
// clear error, that memory returns to its post-warm-up level, and that the gateway still
// answers afterwards. LLMGW_SOAK_REQUESTS sets the count (default 2500; 600 under sanitizers,
// where memory is not compared since ASan holds freed memory in quarantine).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway } from './lib/gateway.mjs';

const sanitized = !!process.env.ASAN_OPTIONS;
const total = Number(process.env.LLMGW_SOAK_REQUESTS || (sanitized ? 600 : 2500));
const concurrency = 16;

let gw; let upstream; let upstreamUrl;

// An OpenAI-compatible upstream. The user's text picks the behaviour:
// "fail ..." → 500 before any output; "die ..." → two words, then the connection is destroyed;
// anything else → the words streamed back (or one JSON body for stream:false).
function startUpstream() {
  const server = http.createServer(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += c;
    const body = JSON.parse(raw);
    const text = body.messages[body.messages.length - 1].content;
    if (text.startsWith('fail')) {
      res.writeHead(500, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: 'upstream exploded', type: 'server_error' } }));
    }
    const words = text.split(/(?= )/);
    const chunk = (delta, finish = null) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (text.startsWith('die')) {
      res.write(chunk({ content: words[0] }));
      res.write(chunk({ content: words[1] }));
      setTimeout(() => res.socket.destroy(), 5);
      return;
    }
    for (const w of words) res.write(chunk({ content: w }));
    res.write(chunk({}, 'stop'));
    res.end('data: [DONE]\n\n');
  });
  server.keepAliveTimeout = 30000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function rssKb(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Number(m[1]);
}

// One HTTP exchange. abortAfterFirstChunk: the client hangs up once the answer has begun.
function exchange(agent, path, payload, { abortAfterFirstChunk = false } = {}) {
  const data = JSON.stringify(payload);
  const url = new URL(path, gw.url);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        body += c;
        if (abortAfterFirstChunk) { req.destroy(); resolve({ status: res.statusCode, body, aborted: true }); }
      });
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', (e) => (abortAfterFirstChunk ? resolve({ status: res.statusCode, body, aborted: true }) : reject(e)));
    });
    req.on('error', (e) => (abortAfterFirstChunk ? resolve({ aborted: true }) : reject(e)));
    req.setTimeout(30000, () => req.destroy(new Error(`no answer to ${path} within 30 s`)));
    req.end(data);
  });
}

const ndjson = (body) => body.split('\n').filter((l) => l).map((l) => JSON.parse(l));
const sseData = (body) => body.split('\n\n').filter((f) => f.startsWith('data: ')).map((f) => f.slice(6));

// The i-th request of the mix, and how to judge its answer. Returns a label on success.
async function one(agent, i) {
  const kind = i % 10;
  const words = `w${i} a b c`;
  const model = i % 3 === 0 ? 'echo' : 'up';
  const msg = (content, stream) => ({ model, stream, messages: [{ role: 'user', content }] });
  switch (kind) {
    case 0: case 1: { // Ollama, streamed / whole
      const stream = kind === 0;
      const r = await exchange(agent, '/api/chat', msg(words, stream));
      assert.equal(r.status, 200, r.body);
      const lines = stream ? ndjson(r.body) : [JSON.parse(r.body)];
      assert.equal(lines.at(-1).done, true, r.body);
      assert.equal(lines.map((l) => l.message.content).join(''), words);
      return 'complete';
    }
    case 2: case 3: { // OpenAI, streamed / whole
      const stream = kind === 2;
      const r = await exchange(agent, '/v1/chat/completions', msg(words, stream));
      assert.equal(r.status, 200, r.body);
      if (stream) {
        const frames = sseData(r.body);
        assert.equal(frames.at(-1), '[DONE]', r.body);
        const text = frames.slice(0, -1).map((f) => JSON.parse(f).choices[0]?.delta?.content ?? '').join('');
        assert.equal(text, words);
      } else {
        assert.equal(JSON.parse(r.body).choices[0].message.content, words);
      }
      return 'complete';
    }
    case 4: case 5: { // the upstream fails before answering: an error status in each dialect
      const path = kind === 4 ? '/api/chat' : '/v1/chat/completions';
      const r = await exchange(agent, path, { ...msg('fail now', i % 2 === 0), model: 'up' });
      assert.ok(r.status >= 500, `${r.status} ${r.body}`);
      const err = JSON.parse(r.body).error;
      // Usually the upstream's words; when a retry lands on a connection torn down by another
      // request's reset, the last attempt's cause ("closed the connection") instead.
      assert.match(kind === 4 ? err : err.message, /^provider 'up'.*(upstream exploded|closed the connection)/);
      return 'error';
    }
    case 6: case 7: { // the upstream dies mid-stream: a final error line / event
      const path = kind === 6 ? '/api/chat' : '/v1/chat/completions';
      const r = await exchange(agent, path, { ...msg('die after two', true), model: 'up' });
      assert.equal(r.status, 200, r.body);
      if (kind === 6) {
        const lines = ndjson(r.body);
        assert.ok(lines.at(-1).error, r.body);
      } else {
        const frames = sseData(r.body);
        assert.ok(!frames.includes('[DONE]'), r.body);
        assert.ok(JSON.parse(frames.at(-1)).error, r.body);
      }
      return 'error';
    }
    default: { // the client hangs up mid-stream (a long echo answer)
      const path = kind === 8 ? '/api/chat' : '/v1/chat/completions';
      const long = Array.from({ length: 40 }, (_, k) => `x${k}`).join(' ');
      const r = await exchange(agent, path, { model: 'echo', stream: true, messages: [{ role: 'user', content: long }] }, { abortAfterFirstChunk: true });
      assert.ok(r.aborted);
      return 'aborted';
    }
  }
}

async function run(from, count) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const tally = { complete: 0, error: 0, aborted: 0 };
  let next = from;
  const worker = async () => {
    while (next < from + count) {
      const i = next++;
      try {
        tally[await one(agent, i)]++;
      } catch (e) {
        throw new Error(`request ${i} (kind ${i % 10}): ${e.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return tally;
}

before(async () => {
  upstream = await startUpstream();
  upstreamUrl = `http://127.0.0.1:${upstream.address().port}`;
  gw = await startGateway({
    version: 1,
    providers: [
      { name: 'echo', type: 'echo', options: { delay_ms: 1 } },
      { name: 'up', type: 'openai', base_url: `${upstreamUrl}/v1`, options: { retry_base_ms: 5 } }, // 500s are retried twice, quickly
    ],
    models: [{ name: 'up', provider: 'up', model: 'gpt-4o' }],
  });
});

after(async () => {
  assert.equal(await gw.stop(), 0);
  upstream.closeAllConnections();
  await new Promise((r) => upstream.close(r));
});

test(`soak: ${total} mixed requests, every one answered or cleanly failed, memory back to its level`, { timeout: 120000 }, async () => {
  // Warm-up: connection pools, caches and allocator arenas reach their working size.
  await run(0, Math.min(500, total));
  await sleep(1000);
  const baseline = rssKb(gw.pid);

  const tally = await run(1000000, total);
  assert.equal(tally.complete + tally.error + tally.aborted, total);
  assert.ok(tally.complete > 0 && tally.error > 0 && tally.aborted > 0, JSON.stringify(tally));

  // Aborted answers are torn down asynchronously; give the gateway a moment.
  await sleep(2000);
  const after = rssKb(gw.pid);
  console.log(`# soak: ${JSON.stringify(tally)}; VmRSS ${baseline} kB after warm-up, ${after} kB after the run (${after - baseline >= 0 ? '+' : ''}${after - baseline} kB)`);
  if (!sanitized) assert.ok(after - baseline < 10 * 1024, `RSS grew from ${baseline} kB to ${after} kB`);

  // Still answering, both dialects.
  const agent = new http.Agent({ keepAlive: false });
  const r = await exchange(agent, '/api/chat', { model: 'echo', stream: false, messages: [{ role: 'user', content: 'still here' }] });
  assert.equal(JSON.parse(r.body).message.content, 'still here');
  const v = await exchange(agent, '/v1/chat/completions', { model: 'up', messages: [{ role: 'user', content: 'and here' }] });
  assert.equal(JSON.parse(v.body).choices[0].message.content, 'and here');
});
