import type { ChannelAdapter } from '../../core/ports.js';
import type { InboundMessage } from '../../core/types.js';
import { normalizeRobotMessage } from './normalize.js';

/** DingTalk needs no platform call to expand a chat record: the callback carries the entries. */
export const dingtalkChannel: ChannelAdapter = {
  platform: 'dingtalk',
  async normalize(raw: unknown): Promise<InboundMessage | null> {
    return normalizeRobotMessage(raw);
  },
};
