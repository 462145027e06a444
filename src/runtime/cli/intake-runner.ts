import { acceptMessage } from '../../app/accept-message.js';
import type { AppDeps } from '../../app/deps.js';

export interface IntakeInput {
  text: string;
  sender: { id: string; name?: string };
  chat?: { id: string };
  town?: string;
}

/** Sends messages through the same front door as POST /api/messages (generic HTTP channel). */
export async function acceptApiMessage(deps: AppDeps, m: IntakeInput): Promise<string> {
  const key = deps.ids.next('cli');
  const { id } = await acceptMessage(deps, {
    platform: 'http', key, chatId: `http:${m.chat?.id ?? m.sender.id}`, senderId: `http:${m.sender.id}`,
    raw: { ...m, key, receivedAt: deps.clock.now() },
  });
  return id;
}
