import { describe, expect, it } from 'vitest';
import type { FeishuApi } from '../src/channels/feishu/api-client.js';
import { feishuChannel } from '../src/channels/feishu/channel.js';
import { unflattenEvent } from '../src/channels/feishu/ws.js';
import { buildFeishuEvent } from './support/feishu-events.js';

const api: FeishuApi = {
  reply: async () => ({ messageId: '' }), create: async () => ({ messageId: '' }), getMessage: async () => [],
  userName: async () => '张委员', botOpenId: async () => 'ou_bot_minyi',
};

describe('Feishu long connection (FEISHU_MODE=ws)', () => {
  it('an event flattened by the SDK dispatcher is stored in the webhook shape and reads the same', async () => {
    const event = buildFeishuEvent({ messageId: 'om_ws_1', content: { text: '集美街道某路口红绿灯坏了' } });
    const flattened = { schema: '2.0', ...(event.header as object), ...(event.event as object) };
    const rebuilt = unflattenEvent(flattened);
    expect(rebuilt).toEqual(event);
    const viaWs = await feishuChannel(api).normalize(rebuilt);
    const viaWebhook = await feishuChannel(api).normalize(event);
    expect(viaWs).toEqual(viaWebhook);
    expect(viaWs?.text).toBe('集美街道某路口红绿灯坏了');
  });
});
