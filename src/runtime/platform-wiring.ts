import type { RawInbound } from '../app/accept-message.js';
import type { ChannelAdapter, Messenger, WebhookVerifier } from '../core/ports.js';

/** What a chat platform contributes to a runtime when its credentials are configured. */
export interface PlatformWiring {
  channel: ChannelAdapter;
  messenger: Messenger;
  /** The HTTP webhook (Feishu events, DingTalk callbacks). */
  verifier: WebhookVerifier;
  /**
   * Long-connection mode (Feishu WSClient, DingTalk Stream) for deployments without a public URL, Node
   * only. `accept` persists and enqueues; it resolves only once the message is durable.
   */
  startLongConnection?: (accept: (m: RawInbound) => Promise<void>) => Promise<() => Promise<void>>;
}
