// SPDX-License-Identifier: GPL-3.0-or-later
//
// Runs one check of the official Anthropic TypeScript SDK against a Switchboard gateway:
//
//     SWITCHBOARD_URL=http://127.0.0.1:PORT SWITCHBOARD_KEY=sk-sb-... node sdk-test.mjs CHECK
//
// CHECK is create, stream, tools, count-tokens, models, wrong-key, upstream-error or
// stream-error. tst_realclients starts
// the gateway in front of a scripted upstream whose answers these checks expect. Prints what
// it got and exits 0 on success; prints the reason and exits 1 on failure.
import Anthropic from '@anthropic-ai/sdk';

const baseURL = process.env.SWITCHBOARD_URL;
const apiKey = process.env.SWITCHBOARD_KEY;
const model = 'claude-sonnet-4-6';

function client(key = apiKey) {
    // authToken: null, so an ANTHROPIC_AUTH_TOKEN in the environment is not sent too.
    return new Anthropic({ baseURL, apiKey: key, authToken: null, maxRetries: 0, timeout: 30000 });
}

function expect(condition, what, actual) {
    if (!condition)
        throw new Error(`${what}; got ${JSON.stringify(actual, null, 2)}`);
}

function textOf(message) {
    return message.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
}

const weatherTool = {
    name: 'get_weather',
    description: 'Current weather in a city',
    input_schema: {
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
    },
};

const checks = {
    async create() {
        const message = await client().messages.create({
            model,
            max_tokens: 64,
            messages: [{ role: 'user', content: 'Say hello' }],
        });
        expect(message.type === 'message' && message.role === 'assistant', 'an assistant message', message);
        expect(textOf(message) === 'Hello from upstream', 'the upstream text', message);
        expect(message.stop_reason === 'end_turn', 'stop_reason end_turn', message);
        expect(message.model === model, 'the requested model', message);
        expect(message.usage.input_tokens > 0 && message.usage.output_tokens > 0, 'usage', message);
        // The upstream's request-id header, relayed by the gateway.
        expect(message._request_id?.startsWith('req_'), 'a request id', message._request_id);
        return `${textOf(message)} (${message._request_id})`;
    },

    async stream() {
        const stream = client().messages.stream({
            model,
            max_tokens: 64,
            messages: [{ role: 'user', content: 'Say hello, streaming' }],
        });
        const pieces = [];
        const events = [];
        stream.on('text', (delta) => pieces.push(delta));
        stream.on('streamEvent', (event) => events.push(event.type));
        const message = await stream.finalMessage();
        expect(textOf(message) === 'Hello from upstream', 'the upstream text', message);
        expect(pieces.join('') === 'Hello from upstream' && pieces.length === 3,
               'three text deltas', pieces);
        expect(events[0] === 'message_start' && events.at(-1) === 'message_stop',
               'message_start first and message_stop last', events);
        expect(message.stop_reason === 'end_turn', 'stop_reason end_turn', message);
        expect(message.usage.output_tokens > 0, 'output tokens from message_delta', message);
        return `${pieces.length} deltas, events ${events.join(',')}`;
    },

    async tools() {
        const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
        // Streamed, so the tool input arrives as input_json_delta pieces the SDK reassembles.
        const first = await client()
            .messages.stream({ model, max_tokens: 256, tools: [weatherTool], messages })
            .finalMessage();
        expect(first.stop_reason === 'tool_use', 'stop_reason tool_use', first);
        const call = first.content.find((b) => b.type === 'tool_use');
        expect(call && call.name === 'get_weather' && call.input.city === 'Paris',
               'a get_weather call for Paris', first);
        // An OpenAI-compatible provider's call id is kept when Anthropic would accept it.
        const openai = process.env.SWITCHBOARD_CLIENTS_POOL === 'openai';
        expect(openai ? /^[a-zA-Z0-9_-]+$/.test(call.id) : call.id.startsWith('toolu_'),
               'a tool_use id', call);

        messages.push({ role: 'assistant', content: first.content });
        messages.push({
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: call.id, content: '22°C and sunny' }],
        });
        const second = await client().messages.create({ model, max_tokens: 256, tools: [weatherTool], messages });
        expect(second.stop_reason === 'end_turn', 'stop_reason end_turn', second);
        expect(textOf(second) === 'It is 22°C and sunny in Paris.', 'the final text', second);
        return `tool ${call.id} -> ${textOf(second)}`;
    },

    async 'count-tokens'() {
        const count = await client().messages.countTokens({
            model,
            messages: [{ role: 'user', content: 'Count me' }],
        });
        // An OpenAI-only pool has no exact count: the gateway estimates it.
        if (process.env.SWITCHBOARD_CLIENTS_POOL === 'openai')
            expect(count.input_tokens > 0 && count.input_tokens < 100, 'an estimate', count);
        else
            expect(count.input_tokens === 42, 'input_tokens 42', count);
        return `input_tokens ${count.input_tokens}`;
    },

    async models() {
        const ids = [];
        for await (const m of client().models.list())
            ids.push(m.id);
        expect(ids.includes(model), `${model} in the list`, ids);
        const one = (await client().models.list()).data[0];
        expect(one.type === 'model' && typeof one.display_name === 'string', 'a model object', one);
        return ids.join(',');
    },

    async 'wrong-key'() {
        try {
            await client('sk-sb-this-key-does-not-exist').messages.create({
                model,
                max_tokens: 16,
                messages: [{ role: 'user', content: 'Hi' }],
            });
        } catch (error) {
            expect(error instanceof Anthropic.AuthenticationError, 'an AuthenticationError',
                   { name: error?.constructor?.name, message: String(error) });
            expect(error.status === 401, 'status 401', error.status);
            expect(error.error?.error?.type === 'authentication_error',
                   'error.type authentication_error', error.error);
            return `${error.constructor.name} ${error.status}: ${error.error.error.message}`;
        }
        throw new Error('the request with a wrong key succeeded');
    },

    async 'upstream-error'() {
        // The scripted upstream refuses this prompt with a 400, which the gateway returns
        // as it is (a bad request is not the account's fault: no failover).
        try {
            await client().messages.create({
                model,
                max_tokens: 16,
                messages: [{ role: 'user', content: 'Trigger a bad request' }],
            });
        } catch (error) {
            expect(error instanceof Anthropic.BadRequestError, 'a BadRequestError',
                   { name: error?.constructor?.name, message: String(error) });
            expect(error.status === 400, 'status 400', error.status);
            expect(error.error?.error?.type === 'invalid_request_error' &&
                   error.error.error.message.endsWith('scripted refusal'),
                   'the upstream error', error.error);
            expect(error.requestID?.startsWith('req_'), 'a request id', error.requestID);
            return `${error.constructor.name} ${error.status}: ${error.error.error.message}`;
        }
        throw new Error('the request the upstream refuses succeeded');
    },

    async 'stream-error'() {
        // The scripted upstream breaks this stream off with an overloaded_error event after
        // the first text delta: too late to fail over, so the client must get the event.
        const stream = client().messages.stream({
            model,
            max_tokens: 64,
            messages: [{ role: 'user', content: 'Fail mid-stream' }],
        });
        const pieces = [];
        stream.on('text', (delta) => pieces.push(delta));
        try {
            await stream.finalMessage();
        } catch (error) {
            expect(error instanceof Anthropic.APIError, 'an APIError',
                   { name: error?.constructor?.name, message: String(error) });
            expect(error.type === 'overloaded_error', 'type overloaded_error',
                   { type: error.type, error: error.error });
            expect(pieces.join('') === 'Hello', 'the text before the error', pieces);
            return `${error.constructor.name} ${error.type} after ${JSON.stringify(pieces)}`;
        }
        throw new Error('the broken stream ended as a message');
    },
};

const name = process.argv[2];
if (!checks[name]) {
    console.error(`usage: node sdk-test.mjs ${Object.keys(checks).join('|')}`);
    process.exit(2);
}
try {
    console.log(`ok ${name}: ${await checks[name]()}`);
} catch (error) {
    console.error(`FAIL ${name}: ${error?.stack ?? error}`);
    if (error?.status)
        console.error(`status ${error.status}, headers ${JSON.stringify(Object.fromEntries(error.headers ?? []))}, body ${JSON.stringify(error.error)}`);
    process.exit(1);
}
