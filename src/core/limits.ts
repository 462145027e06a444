/**
 * How much text one message may bring into classification and a record. The API refuses more than 20,000
 * characters outright; platform messages cannot be refused (the platform already showed them to the member),
 * so they are cut here instead. 50,000 leaves room for a merged-forward bundle of 300 ordinary messages.
 * The full original stays in inbound_messages for staff.
 */
export const MAX_MESSAGE_TEXT_CHARS = 50_000;

export const TRUNCATION_MARK = '\n……（原文过长，此处截断；完整内容保存在原始消息中）';

export function capText(text: string, max = MAX_MESSAGE_TEXT_CHARS): string {
  return text.length <= max ? text : text.slice(0, max) + TRUNCATION_MARK;
}
