import { FeishuApiClient, DEFAULT_FEISHU_DOMAIN } from '../channels/feishu/api-client.js';
import { feishuChannel } from '../channels/feishu/channel.js';
import { feishuMessenger } from '../channels/feishu/messenger.js';
import { feishuVerifier } from '../channels/feishu/verifier.js';
import { startFeishuWs } from '../channels/feishu/ws.js';
import { BotError } from '../core/errors.js';
import type { Logger } from '../core/ports.js';
import type { Config } from './config.js';
import type { PlatformWiring } from './platform-wiring.js';

/**
 * Feishu switches on when FEISHU_APP_ID and FEISHU_APP_SECRET are set. Webhook mode also needs the
 * Verification Token (and should have the Encrypt Key, which makes Feishu sign and encrypt every event);
 * FEISHU_MODE=ws uses the long connection instead and needs neither.
 */
export function wireFeishu(config: Config, log: Logger): PlatformWiring | null {
  const appId = config.FEISHU_APP_ID;
  const appSecret = config.FEISHU_APP_SECRET;
  if (!appId || !appSecret) return null;
  const domain = config.FEISHU_DOMAIN ?? DEFAULT_FEISHU_DOMAIN;
  const api = new FeishuApiClient({ appId, appSecret, domain });
  const ws = config.FEISHU_MODE === 'ws';
  if (!ws && !config.FEISHU_VERIFICATION_TOKEN) {
    throw new BotError('config_invalid', 'Invalid configuration: FEISHU_VERIFICATION_TOKEN is required for the Feishu webhook (or set FEISHU_MODE=ws)');
  }
  if (!ws && !config.FEISHU_ENCRYPT_KEY) log.warn('feishu.no_encrypt_key', { hint: 'set FEISHU_ENCRYPT_KEY so Feishu signs and encrypts events' });
  return {
    channel: feishuChannel(api),
    messenger: feishuMessenger(api),
    // In ws mode the webhook still exists but accepts nothing without the token.
    verifier: feishuVerifier({
      verificationToken: config.FEISHU_VERIFICATION_TOKEN ?? crypto.randomUUID(),
      ...(config.FEISHU_ENCRYPT_KEY ? { encryptKey: config.FEISHU_ENCRYPT_KEY } : {}),
    }),
    ...(ws ? { startLongConnection: (accept) => startFeishuWs({ appId, appSecret, domain, log }, accept) } : {}),
  };
}
