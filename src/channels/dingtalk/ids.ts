import type { RobotMessage } from './parse.js';

/** Platform-prefixed ids (STYLE.md habit 7); the staff id is stable, the encrypted senderId is the fallback. */
export function dingtalkChatId(m: Pick<RobotMessage, 'conversationId'>): string {
  return `dingtalk:${m.conversationId}`;
}

export function dingtalkSenderId(m: Pick<RobotMessage, 'senderStaffId' | 'senderId'>): string {
  return `dingtalk:${m.senderStaffId || m.senderId}`;
}

/** The OpenAPI wants the bare openConversationId. */
export function conversationIdOf(chatId: string): string {
  return chatId.startsWith('dingtalk:') ? chatId.slice('dingtalk:'.length) : chatId;
}
