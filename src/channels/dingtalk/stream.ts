import type { Logger } from '../../core/ports.js';
import { dingtalkChatId, dingtalkSenderId } from './ids.js';
import { parseRobotMessage } from './parse.js';

/** The robot-message topic of DingTalk Stream mode (dingtalk-stream TOPIC_ROBOT). */
export const TOPIC_ROBOT = '/v1.0/im/bot/messages/get';

export interface StreamFrame {
  headers: { messageId: string; topic?: string };
  data: string;
}

/** The part of dingtalk-stream's DWClient we use; a fake socket in tests. */
export interface StreamClient {
  registerCallbackListener(topic: string, callback: (frame: StreamFrame) => void): unknown;
  socketCallBackResponse(messageId: string, result: unknown): void;
  connect(): Promise<void>;
  disconnect(): void;
}

export interface StreamAccepted {
  platform: 'dingtalk';
  key: string;
  chatId: string;
  senderId: string;
  raw: unknown;
}

/**
 * Handles one CALLBACK frame: persist first, acknowledge after. DingTalk re-pushes an unacknowledged
 * callback within about 60 s, so a crash before the row exists loses nothing; a re-push after the row
 * exists is deduped on msgId. A frame we cannot read is acknowledged anyway: re-pushing it cannot help.
 */
export async function handleStreamFrame(client: StreamClient, frame: StreamFrame, accept: (m: StreamAccepted) => Promise<void>, log: Logger): Promise<void> {
  let raw: unknown;
  let accepted: StreamAccepted;
  try {
    raw = JSON.parse(frame.data);
    const m = parseRobotMessage(raw);
    accepted = { platform: 'dingtalk', key: m.msgId, chatId: dingtalkChatId(m), senderId: dingtalkSenderId(m), raw };
  } catch (error) {
    log.warn('dingtalk.stream.unreadable', { messageId: frame.headers.messageId, error: error instanceof Error ? error.message : String(error) });
    client.socketCallBackResponse(frame.headers.messageId, { response: {} });
    return;
  }
  try {
    await accept(accepted);
  } catch (error) {
    // No ack: DingTalk pushes the frame again and we get another chance to persist it.
    log.error('dingtalk.stream.accept_failed', { messageId: frame.headers.messageId, key: accepted.key, error: error instanceof Error ? error.message : String(error) });
    return;
  }
  client.socketCallBackResponse(frame.headers.messageId, { response: {} });
}

/** Registers the robot callback and connects; returns a stop function. */
export async function startDingtalkStream(client: StreamClient, accept: (m: StreamAccepted) => Promise<void>, log: Logger): Promise<() => Promise<void>> {
  const pending = new Set<Promise<void>>();
  client.registerCallbackListener(TOPIC_ROBOT, (frame) => {
    const p = handleStreamFrame(client, frame, accept, log).finally(() => pending.delete(p));
    pending.add(p);
  });
  await client.connect();
  return async () => {
    // Let in-flight frames persist and ack before the socket closes.
    await Promise.allSettled([...pending]);
    client.disconnect();
  };
}
