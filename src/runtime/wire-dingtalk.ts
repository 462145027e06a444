import { DingtalkApiClient } from '../channels/dingtalk/api-client.js';
import { dingtalkChannel } from '../channels/dingtalk/channel.js';
import { DingtalkMessenger } from '../channels/dingtalk/messenger.js';
import { startDingtalkStream, type StreamClient } from '../channels/dingtalk/stream.js';
import { dingtalkVerifier } from '../channels/dingtalk/verifier.js';
import type { Logger } from '../core/ports.js';
import type { Config } from './config.js';
import type { PlatformWiring } from './platform-wiring.js';

/**
 * DingTalk switches on when its app credentials are set. The robot code defaults to the app key (true for
 * enterprise-internal app robots). The HTTP callback stays registered in stream mode too: it is harmless
 * behind the signature check and lets an office switch modes in the console without a restart.
 */
export function wireDingtalk(config: Config, log: Logger, opts: { now?: () => number } = {}): PlatformWiring | null {
  const appKey = config.DINGTALK_APP_KEY;
  const appSecret = config.DINGTALK_APP_SECRET;
  if (!appKey || !appSecret) return null;
  const api = new DingtalkApiClient({ appKey, appSecret, ...(config.DINGTALK_API_BASE ? { apiBase: config.DINGTALK_API_BASE } : {}), ...(opts.now ? { now: opts.now } : {}) });
  const wiring: PlatformWiring = {
    channel: dingtalkChannel,
    messenger: new DingtalkMessenger({ api, robotCode: config.DINGTALK_ROBOT_CODE ?? appKey, ...(opts.now ? { now: opts.now } : {}) }),
    verifier: dingtalkVerifier({ appSecret }),
  };
  if (config.DINGTALK_MODE === 'stream') {
    wiring.startLongConnection = async (accept) => {
      // Loaded only in stream mode: it pulls in ws and axios, and cannot run on Workers.
      const { DWClient } = await import('dingtalk-stream');
      const client: StreamClient = new DWClient({ clientId: appKey, clientSecret: appSecret });
      return startDingtalkStream(client, accept, log);
    };
  }
  return wiring;
}
