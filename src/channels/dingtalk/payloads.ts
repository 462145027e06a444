import type { RobotMessageParam } from './api-client.js';
import { type DingtalkMessage, sendMessageUrl } from './render-markdown.js';

/** Body for POST <sessionWebhook> (platforms.md §3.4). */
export function sessionWebhookBody(m: DingtalkMessage): Record<string, unknown> {
  if (m.kind === 'markdown') return { msgtype: 'markdown', markdown: { title: m.title, text: m.text } };
  return {
    msgtype: 'actionCard',
    actionCard: { title: m.title, text: m.text, btnOrientation: '0', btns: m.buttons.map((b) => ({ title: b.title, actionURL: sendMessageUrl(b.command) })) },
  };
}

/** msgKey + msgParam for the robot OpenAPI: sampleActionCard for one button, sampleActionCard2…5 for more. */
export function openApiMessage(m: DingtalkMessage): RobotMessageParam {
  if (m.kind === 'markdown') return { msgKey: 'sampleMarkdown', msgParam: { title: m.title, text: m.text } };
  if (m.buttons.length === 1) {
    const [b] = m.buttons;
    return { msgKey: 'sampleActionCard', msgParam: { title: m.title, text: m.text, singleTitle: b!.title, singleURL: sendMessageUrl(b!.command) } };
  }
  const param: Record<string, string> = { title: m.title, text: m.text };
  m.buttons.forEach((b, i) => {
    param[`actionTitle${i + 1}`] = b.title;
    param[`actionURL${i + 1}`] = sendMessageUrl(b.command);
  });
  return { msgKey: `sampleActionCard${m.buttons.length}`, msgParam: param };
}
