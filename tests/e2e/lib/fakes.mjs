// Fake upstream providers speaking each provider's real wire format, for routing real client
// libraries through the gateway. Each records what it received. The "model" behaves the same
// everywhere: it calls get_weather when tools are offered and the user asks about weather,
// answers from a tool result, answers JSON when JSON is asked for, says how many images it
// saw, thinks out loud when asked to, and does an agent's file task: with Codex's shell tool
// ('create the file NAME containing WORD'), or, offered a coding agent's Write tool and asked to
// 'create the file PATH containing "TEXT"', with that tool; then it says so.
import http from 'node:http';

function listen(handler) {
  const requests = [];
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += c;
    const rec = { method: req.method, url: req.url, headers: req.headers, body: body ? JSON.parse(body) : null };
    requests.push(rec);
    handler(rec, res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    last: () => requests[requests.length - 1],
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  })));
}

// What the model says, from a neutral view of the conversation.
function decide({ lastUser, lastToolResult, tools, images, json, thinking }) {
  const out = { thinking: thinking ? 'Let me think about that.' : '' };
  const write = /create the file (\S+) containing "([^"]*)"/i.exec(lastUser);
  if (write && tools.includes('Write')) {
    if (lastToolResult !== undefined) out.text = `Created ${write[1]} through the gateway.`;
    else out.call = { name: 'Write', args: { file_path: write[1], content: `${write[2]}\n` } };
    return out;
  }
  // An agent's task (Codex): "create the file NAME containing WORD" with its shell tool.
  const task = /create the file (\S+) containing (\w+)/.exec(lastUser);
  if (task && lastToolResult !== undefined) out.text = `Done: ${task[1]} now holds ${task[2]}.`;
  else if (lastToolResult !== undefined) out.text = `The weather is ${lastToolResult}.`;
  else if (task && tools.includes('exec_command')) out.call = { name: 'exec_command', args: { cmd: `printf %s ${task[2]} > ${task[1]}`, login: false } };
  else if (tools.includes('get_weather') && /weather/i.test(lastUser)) out.call = { name: 'get_weather', args: { city: 'Tokyo' } };
  else if (json) out.text = JSON.stringify({ answer: lastUser, images });
  else out.text = images ? `I see ${images} image(s).` : `You said: ${lastUser}`;
  return out;
}

const sse = (res, frames) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const f of frames) res.write(f);
  res.end();
};

// Log probabilities when asked for: one token per word, its log probability -0.1 times its
// position in the word list's alternatives (the word itself first, then upper-cased and
// reversed variants), in each provider's own shape.
function alternatives(word, top) {
  const alts = [word, word.toUpperCase(), [...word].reverse().join('')];
  return alts.slice(0, Math.max(0, top || 0)).map((token, i) => ({ token, logprob: -0.1 * (i + 1) }));
}
const bytes = (t) => [...Buffer.from(t, 'utf8')];
function openAiLogprobs(word, top) {
  return { content: [{ token: word, logprob: -0.1, bytes: bytes(word), top_logprobs: alternatives(word, top).map((a) => ({ ...a, bytes: bytes(a.token) })) }], refusal: null };
}
function geminiLogprobs(word, top) {
  return { topCandidates: [{ candidates: alternatives(word, top).map((a) => ({ token: a.token, tokenId: 7, logProbability: a.logprob })) }], chosenCandidates: [{ token: word, tokenId: 7, logProbability: -0.1 }] };
}
function ollamaLogprobs(word, top) {
  const alts = alternatives(word, top).map((a) => ({ ...a, bytes: bytes(a.token) }));
  return [{ token: word, logprob: -0.1, bytes: bytes(word), ...(alts.length ? { top_logprobs: alts } : {}) }];
}

export function fakeOpenAI() {
  return listen((rec, res) => {
    if (rec.method === 'GET' && rec.url.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o', object: 'model' }, { id: 'text-embedding-3-small', object: 'model' }] }));
    }
    if (rec.url.endsWith('/embeddings')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ object: 'list', data: rec.body.input.map((t, i) => ({ object: 'embedding', index: i, embedding: [t.length, 1, 0] })), usage: { prompt_tokens: 3, total_tokens: 3 } }));
    }
    const msgs = rec.body.messages;
    const user = [...msgs].reverse().find((m) => m.role === 'user');
    const last = msgs[msgs.length - 1];
    const parts = Array.isArray(user.content) ? user.content : [{ type: 'text', text: user.content }];
    const d = decide({
      lastUser: parts.filter((p) => p.type === 'text').map((p) => p.text).join(' '),
      lastToolResult: last.role === 'tool' ? last.content : undefined,
      tools: (rec.body.tools || []).map((t) => t.function.name),
      images: parts.filter((p) => p.type === 'image_url').length,
      json: !!rec.body.response_format,
      thinking: !!rec.body.reasoning_effort,
    });
    const chunk = (delta, finish = null, logprobs = null) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, logprobs, finish_reason: finish }] })}\n\n`;
    const frames = [chunk({ role: 'assistant', content: '' })];
    if (d.thinking) frames.push(chunk({ reasoning_content: d.thinking }));
    if (d.call) {
      const args = JSON.stringify(d.call.args);
      frames.push(chunk({ tool_calls: [{ index: 0, id: 'call_abc123', type: 'function', function: { name: d.call.name, arguments: '' } }] }));
      frames.push(chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(0, 5) } }] }));
      frames.push(chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(5) } }] }));
      frames.push(chunk({}, 'tool_calls'));
    } else {
      for (const w of d.text.split(/(?= )/)) frames.push(chunk({ content: w }, null, rec.body.logprobs ? openAiLogprobs(w, rec.body.top_logprobs) : null));
      frames.push(chunk({}, 'stop'));
    }
    frames.push(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 } })}\n\n`, 'data: [DONE]\n\n');
    sse(res, frames);
  });
}

export function fakeAnthropic() {
  return listen((rec, res) => {
    const msgs = rec.body.messages;
    const user = [...msgs].reverse().find((m) => m.role === 'user' && m.content.some((b) => b.type === 'text' || b.type === 'image'));
    const last = msgs[msgs.length - 1];
    const result = last.content.find((b) => b.type === 'tool_result');
    const forcedJson = rec.body.tool_choice?.type === 'tool' && rec.body.tool_choice.name === 'json_response';
    const d = decide({
      lastUser: user.content.filter((b) => b.type === 'text').map((b) => b.text).join(' '),
      lastToolResult: result ? result.content : undefined,
      tools: (rec.body.tools || []).map((t) => t.name),
      images: user.content.filter((b) => b.type === 'image').length,
      json: forcedJson || !!rec.body.output_config?.format,
      thinking: !!rec.body.thinking,
    });
    const ev = (name, data) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
    const frames = [ev('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], usage: { input_tokens: 10, output_tokens: 1 } } })];
    let i = 0;
    if (d.thinking) {
      frames.push(ev('content_block_start', { index: i, content_block: { type: 'thinking', thinking: '', signature: '' } }),
        ev('content_block_delta', { index: i, delta: { type: 'thinking_delta', thinking: d.thinking } }),
        ev('content_block_delta', { index: i, delta: { type: 'signature_delta', signature: 'sig-1' } }),
        ev('content_block_stop', { index: i }));
      i++;
    }
    frames.push(ev('ping', {}));
    let stop = 'end_turn';
    if (forcedJson) {
      frames.push(ev('content_block_start', { index: i, content_block: { type: 'tool_use', id: 'toolu_json', name: 'json_response', input: {} } }),
        ev('content_block_delta', { index: i, delta: { type: 'input_json_delta', partial_json: d.text } }),
        ev('content_block_stop', { index: i }));
      stop = 'tool_use';
    } else if (d.call) {
      const args = JSON.stringify(d.call.args);
      frames.push(ev('content_block_start', { index: i, content_block: { type: 'tool_use', id: 'toolu_01', name: d.call.name, input: {} } }),
        ev('content_block_delta', { index: i, delta: { type: 'input_json_delta', partial_json: args.slice(0, 4) } }),
        ev('content_block_delta', { index: i, delta: { type: 'input_json_delta', partial_json: args.slice(4) } }),
        ev('content_block_stop', { index: i }));
      stop = 'tool_use';
    } else {
      frames.push(ev('content_block_start', { index: i, content_block: { type: 'text', text: '' } }));
      for (const w of d.text.split(/(?= )/)) frames.push(ev('content_block_delta', { index: i, delta: { type: 'text_delta', text: w } }));
      frames.push(ev('content_block_stop', { index: i }));
    }
    frames.push(ev('message_delta', { delta: { stop_reason: stop }, usage: { output_tokens: 9 } }), ev('message_stop', {}));
    sse(res, frames);
  });
}

export function fakeGemini() {
  return listen((rec, res) => {
    const contents = rec.body.contents;
    const user = [...contents].reverse().find((c) => c.role === 'user' && c.parts.some((p) => p.text !== undefined || p.inlineData));
    const last = contents[contents.length - 1];
    const resp = last.parts.find((p) => p.functionResponse);
    const gen = rec.body.generationConfig || {};
    const d = decide({
      lastUser: user.parts.filter((p) => p.text !== undefined).map((p) => p.text).join(' '),
      lastToolResult: resp ? resp.functionResponse.response.result : undefined,
      tools: (rec.body.tools?.[0]?.functionDeclarations || []).map((f) => f.name),
      images: user.parts.filter((p) => p.inlineData).length,
      json: gen.responseMimeType === 'application/json',
      thinking: !!gen.thinkingConfig?.includeThoughts,
    });
    const frames = [];
    const data = (o) => `data: ${JSON.stringify(o)}\r\n\r\n`;
    if (d.thinking) frames.push(data({ candidates: [{ content: { role: 'model', parts: [{ text: d.thinking, thought: true }] } }] }));
    if (d.call) frames.push(data({ candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: d.call.name, args: d.call.args }, thoughtSignature: 'gsig' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 4 } }));
    else {
      const words = d.text.split(/(?= )/);
      words.forEach((w, n) => frames.push(data({ candidates: [{ content: { role: 'model', parts: [{ text: w }] }, ...(gen.responseLogprobs ? { logprobsResult: geminiLogprobs(w, gen.logprobs) } : {}), ...(n === words.length - 1 ? { finishReason: 'STOP' } : {}) }], usageMetadata: { promptTokenCount: 9, candidatesTokenCount: n + 1 } })));
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(frames.join('').replace(/\r\n\r\n$/, ''));
  });
}

// A real Ollama as the upstream: /api/chat in NDJSON (or one object when stream is false),
// tool calls with their arguments as objects, tool results as role "tool".
export function fakeOllama() {
  return listen((rec, res) => {
    if (rec.url !== '/api/chat') {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: `no route ${rec.url}` }));
    }
    const msgs = rec.body.messages;
    const user = [...msgs].reverse().find((m) => m.role === 'user');
    const last = msgs[msgs.length - 1];
    const d = decide({
      lastUser: user.content,
      lastToolResult: last.role === 'tool' ? last.content : undefined,
      tools: (rec.body.tools || []).map((t) => t.function.name),
      images: (user.images || []).length,
      json: !!rec.body.format,
      thinking: !!rec.body.think,
    });
    const base = { model: rec.body.model, created_at: '2026-12-03T00:00:00Z' };
    const message = { role: 'assistant', content: d.text || '', ...(d.thinking ? { thinking: d.thinking } : {}) };
    if (d.call) message.tool_calls = [{ function: { name: d.call.name, arguments: d.call.args } }];
    const done = { ...base, done: true, done_reason: 'stop', prompt_eval_count: 12, eval_count: 6 };
    res.writeHead(200, { 'content-type': rec.body.stream === false ? 'application/json' : 'application/x-ndjson' });
    if (rec.body.stream === false) return res.end(JSON.stringify({ ...done, message }));
    const lines = [];
    if (d.call) lines.push({ ...base, message, done: false });
    else for (const w of (d.text || '').split(/(?= )/)) lines.push({ ...base, message: { role: 'assistant', content: w }, ...(rec.body.logprobs ? { logprobs: ollamaLogprobs(w, rec.body.top_logprobs) } : {}), done: false });
    lines.push({ ...done, message: { role: 'assistant', content: '' } });
    res.end(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  });
}
