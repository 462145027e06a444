import { acceptMessage } from '../../app/accept-message.js';
import type { AppDeps } from '../../app/deps.js';

export interface IntakeInput {
  text: string;
  sender: { id: string; name?: string };
  chat?: { id: string };
  town?: string;
}

/**
 * Sends a message through the same front door as POST /api/messages (generic HTTP channel). With a `key`, a
 * second call with the same key is a redelivery: it returns the first message's id and files nothing.
 */
export async function acceptApiMessage(deps: AppDeps, m: IntakeInput, key = deps.ids.next('cli')): Promise<{ id: string; duplicate: boolean }> {
  return acceptMessage(deps, {
    platform: 'http', key, chatId: `http:${m.chat?.id ?? m.sender.id}`, senderId: `http:${m.sender.id}`,
    raw: { ...m, key, receivedAt: deps.clock.now() },
  });
}
