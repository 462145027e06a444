import type { ChannelAdapter } from '../../core/ports.js';
import type { InboundMessage } from '../../core/types.js';
import type { FeishuApi } from './api-client.js';
import { normalizeMessageEvent } from './normalize.js';
import { parseEnvelope } from './parse.js';

/** Stored raw (the decrypted, verified event) → InboundMessage; anything that is not a message → null. */
export function feishuChannel(api: FeishuApi): ChannelAdapter {
  return {
    platform: 'feishu',
    async normalize(raw: unknown): Promise<InboundMessage | null> {
      const env = parseEnvelope(raw);
      return env.kind === 'message' ? normalizeMessageEvent(env.event, api) : null;
    },
  };
}
