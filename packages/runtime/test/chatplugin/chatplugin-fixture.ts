import { expect } from 'chai';
import { COMMUNICATION_TOPICS, type Message } from '@parley/schemas';
import { modelSerdes } from '@parley/communication';
import { CHATPLUGIN_SECRET_NAME, ChatTokens } from '@parley/sources';
import { WebSocket, type ClientOptions } from 'ws';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitForOffsets } from '@parley/communication';
import { createPlatform, type Runtime, type RuntimeConfigInput } from '../../src/index.js';
import { readTestResponse, tempDir, type TestResponse } from '../helpers.js';

/**
 * A started platform (`createPlatform`: communication model, Source API, chat plugin) on port 0
 * over an embedded log in a fresh data directory, with a small HTTP client, a websocket client
 * and helpers for chat plugin channels and visitors.
 */
export interface ChatPlatform {
  runtime: Runtime;
  /** The system token (undefined with auth off). */
  systemToken: string | undefined;
  lines: string[];
  /** POSTs JSON; `token` null sends no Authorization header (default: the system token). */
  post(route: string, body?: unknown, options?: { token?: string | null; headers?: Record<string, string> }): Promise<TestResponse>;
  /** Any request (CORS preflights). */
  request(method: string, route: string, headers: Record<string, string>): Promise<TestResponse>;
  /** `channels.chatplugin.connect`; the channel's JSON. */
  connectChannel(name?: string): Promise<{ id: string; [key: string]: unknown }>;
  /** `chatplugin.authenticate` for a new conversation; the answer's JSON. */
  startChat(channelId: string): Promise<{ token: string; conversation_id: string; channel_id: string; [key: string]: unknown }>;
  /** Chat tokens signed with this platform's chat key (for expired or forged tokens). */
  chatTokens(clock?: () => number): ChatTokens;
  /** Appends Message records (as a source would) and waits until the communication app has them. */
  seedMessages(messages: Message[]): Promise<void>;
  socket(options?: SocketOptions): Promise<TestSocket>;
  stop(): Promise<void>;
}

export interface SocketOptions {
  /** Sent as `Authorization: Bearer <token>` on the handshake. */
  token?: string;
  headers?: Record<string, string>;
  /** Path; default /ws.chatplugin. */
  path?: string;
  client?: ClientOptions;
}

/** A websocket client that keeps every frame it receives (JSON-parsed). */
export interface TestSocket {
  ws: WebSocket;
  frames: any[];
  /** The next frame (from the ones received so far on) matching `predicate`. */
  next(predicate: (frame: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Resolves with the close code and the parsed JSON reason (when it is JSON). */
  closed: Promise<{ code: number; reason: any }>;
  send(frame: unknown): void;
}

const serdes = modelSerdes();

export async function startChatPlatform(config: RuntimeConfigInput = {}): Promise<ChatPlatform> {
  const lines: string[] = [];
  const dataDir = config.dataDir ?? tempDir('chatplugin');
  const runtime = createPlatform(
    { ...config, dataDir, http: { port: 0 }, auth: { enabled: true, ...config.auth } },
    { logging: { level: 'warn', write: (line) => lines.push(line) }, communication: { conversationWaitMs: 500 } },
  );
  await runtime.start();
  const url = runtime.url;
  const systemToken = runtime.systemToken;
  const request = async (method: string, route: string, headers: Record<string, string>, body?: string): Promise<TestResponse> => {
    return readTestResponse(await fetch(`${url}/${route}`, { method, headers, ...(body === undefined ? {} : { body }) }));
  };
  const post: ChatPlatform['post'] = (route, body, options = {}) => {
    const token = options.token === undefined ? systemToken : options.token;
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (token !== null && token !== undefined) headers.authorization = `Bearer ${token}`;
    return request('POST', route, headers, body === undefined ? undefined : JSON.stringify(body));
  };
  const platform: ChatPlatform = {
    runtime,
    systemToken,
    lines,
    post,
    request,
    async connectChannel(name = 'Website chat') {
      const res = await post('channels.chatplugin.connect', { name });
      expect(res.status, res.text).to.equal(201);
      return res.json;
    },
    async startChat(channelId) {
      const res = await post('chatplugin.authenticate', { channel_id: channelId }, { token: null });
      expect(res.status, res.text).to.equal(200);
      return res.json;
    },
    chatTokens: (clock) => new ChatTokens({ secret: fs.readFileSync(path.join(runtime.dataDir.authDir, CHATPLUGIN_SECRET_NAME), 'utf8').trim(), ...(clock === undefined ? {} : { clock }) }),
    async seedMessages(messages) {
      const offsets = await runtime.log.append(
        COMMUNICATION_TOPICS.messages.name,
        messages.map((m) => ({ key: Buffer.from(m.id), value: serdes.message.serialize(m), timestamp: m.sentAt })),
      );
      expect(await waitForOffsets(runtime.apps.get('communication')!.app, offsets, 10_000), 'seeded messages processed').to.equal(true);
    },
    socket: (options = {}) => openSocket(url.replace(/^http/, 'ws') + (options.path ?? '/ws.chatplugin'), options),
    stop: () => runtime.stop(),
  };
  return platform;
}

export async function openSocket(address: string, options: SocketOptions = {}): Promise<TestSocket> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const ws = new WebSocket(address, { headers, ...options.client });
  const frames: any[] = [];
  const listeners = new Set<() => void>();
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()));
    for (const listener of [...listeners]) listener();
  });
  const closed = new Promise<{ code: number; reason: any }>((resolve) => {
    ws.on('close', (code, reason) => {
      let parsed: unknown = reason.toString();
      try {
        parsed = JSON.parse(reason.toString());
      } catch {
        // not JSON: keep the text
      }
      resolve({ code, reason: parsed });
      for (const listener of [...listeners]) listener();
    });
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`handshake answered ${res.statusCode}`), { status: res.statusCode })));
  });
  let seen = 0;
  return {
    ws,
    frames,
    closed,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (let i = seen; i < frames.length; i++) {
            if (predicate(frames[i])) {
              seen = i + 1;
              listeners.delete(check);
              clearTimeout(timer);
              return resolve(frames[i]);
            }
          }
          if (ws.readyState === ws.CLOSED) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`socket closed before the frame came; frames: ${JSON.stringify(frames)}`));
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no matching frame within ${timeoutMs} ms; frames: ${JSON.stringify(frames)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
  };
}

/** A message of a chat plugin conversation, as a source or messages.send would write it. */
export function chatMessage(over: Partial<Message> & Pick<Message, 'id' | 'conversationId' | 'channelId' | 'sentAt'>): Message {
  return {
    headers: null,
    senderType: 'CONTACT',
    senderId: over.conversationId,
    deliveryState: 'DELIVERED',
    source: 'chatplugin',
    sourceRecipientId: null,
    content: '{"text":"seeded"}',
    updatedAt: null,
    ...over,
  };
}
