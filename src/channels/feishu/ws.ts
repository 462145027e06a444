import type { Logger } from '../../core/ports.js';
import type { Platform } from '../../core/types.js';
import { feishuId } from './normalize.js';
import { messageEventSchema } from './parse.js';

export interface LongConnectionInbound {
  platform: Platform;
  key: string;
  chatId: string;
  senderId: string;
  raw: unknown;
}

const HEADER_KEYS = ['event_id', 'event_type', 'create_time', 'token', 'app_id', 'tenant_key'] as const;

/**
 * The SDK's dispatcher flattens a v2 event (`{...header, ...event}`); put it back into the webhook's shape so
 * the stored raw, and everything after it, is the same whichever way the event arrived.
 */
export function unflattenEvent(data: Record<string, unknown>): { schema: '2.0'; header: Record<string, unknown>; event: Record<string, unknown> } {
  const header: Record<string, unknown> = { event_type: 'im.message.receive_v1' };
  const event: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if ((HEADER_KEYS as readonly string[]).includes(k)) header[k] = v;
    else if (k !== 'schema' && !k.startsWith('_')) event[k] = v;
  }
  return { schema: '2.0', header, event };
}

export interface FeishuWsOptions {
  appId: string;
  appSecret: string;
  domain: string;
  log: Logger;
}

/**
 * FEISHU_MODE=ws: the SDK's WSClient (Node only: it needs `ws` and a long-lived socket) for deployments
 * without a public URL. The connection itself is authenticated by the app secret, so there is no signature;
 * after `accept` (persist + enqueue) the pipeline is the webhook's. Imported lazily: the webhook path and
 * Workers never load the 5 MiB SDK.
 */
export async function startFeishuWs(o: FeishuWsOptions, accept: (m: LongConnectionInbound) => Promise<void>): Promise<() => Promise<void>> {
  const lark = await import('@larksuiteoapi/node-sdk');
  const dispatcher = new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.warn }).register({
    'im.message.receive_v1': async (data: unknown) => {
      const raw = unflattenEvent(data as Record<string, unknown>);
      const parsed = messageEventSchema.safeParse(raw.event);
      if (!parsed.success) {
        o.log.warn('feishu.ws.malformed', { issue: parsed.error.issues[0]?.message });
        return;
      }
      const ids = parsed.data.sender.sender_id;
      const sender = ids.open_id ?? ids.user_id ?? ids.union_id ?? 'unknown';
      // Awaited: the SDK acknowledges the frame only after this resolves, so an unstored message is redelivered.
      await accept({ platform: 'feishu', key: parsed.data.message.message_id, chatId: feishuId(parsed.data.message.chat_id), senderId: feishuId(sender), raw });
    },
  });
  const client = new lark.WSClient({ appId: o.appId, appSecret: o.appSecret, domain: o.domain, loggerLevel: lark.LoggerLevel.warn, autoReconnect: true });
  await client.start({ eventDispatcher: dispatcher });
  return async () => {
    client.close({ force: true });
  };
}
