import { describe, expect, it } from 'vitest';
import { SUMMARY_ONLY_TAG } from '../src/channels/dingtalk/chat-record.js';
import { FORWARD_RECORD_NOTICE, INCOMPLETE_RECORD_NOTICE, normalizeRobotMessage } from '../src/channels/dingtalk/normalize.js';
import { dingtalkVerifier } from '../src/channels/dingtalk/verifier.js';
import { messageText } from '../src/core/message-text.js';
import { chatRecordBody, chatRecordContent, robotMessage, signDingtalk, textBody } from './support/dingtalk-events.js';

describe('DingTalk normalisation', () => {
  it('a group text loses the robot @ and keeps the ids platform-prefixed', () => {
    const m = normalizeRobotMessage(robotMessage(textBody(' @民意助手 灌口镇上头村路灯坏了'), { group: true, conversationId: 'cidG==', staffId: 's1', msgId: 'm1' }));
    expect(m).toMatchObject({ key: 'm1', chatId: 'dingtalk:cidG==', senderId: 'dingtalk:s1', chatType: 'group', mentionsBot: true, text: '灌口镇上头村路灯坏了', senderName: '陈委员' });
    expect(m.reply).toMatchObject({ platform: 'dingtalk', chatId: 'dingtalk:cidG==', chatType: 'group', userId: 's1', messageId: 'm1' });
    expect(m.reply.sessionWebhook).toBeTruthy();
  });

  it('a group message without @ is marked so; a 1:1 message always counts', () => {
    expect(normalizeRobotMessage(robotMessage(textBody('闲聊'), { group: true, atBot: false })).mentionsBot).toBe(false);
    expect(normalizeRobotMessage(robotMessage(textBody('你好'))).mentionsBot).toBe(true);
  });

  it('richText joins its text and keeps pictures as placeholders with their download codes', () => {
    const m = normalizeRobotMessage(robotMessage({ msgtype: 'richText', content: { richText: [{ text: '路口积水如图：' }, { type: 'picture', downloadCode: 'dl-1', pictureDownloadCode: 'p-1' }, { text: '请处理' }] } }));
    expect(m.text).toBe('路口积水如图：\n[图片]\n请处理');
    expect(m.parts.find((p) => p.kind === 'image')?.resourceKey).toBe('dl-1');
  });

  it('picture, file, video and unknownMsgType are kept but marked unreadable; audio uses its recognition', () => {
    const pic = normalizeRobotMessage(robotMessage({ msgtype: 'picture', content: { downloadCode: 'dl-p' } }));
    expect(pic).toMatchObject({ unsupported: '图片', parts: [{ kind: 'image', resourceKey: 'dl-p' }] });
    expect(normalizeRobotMessage(robotMessage({ msgtype: 'file', content: { fileName: '诉求.docx', downloadCode: 'dl-f' } })).unsupported).toContain('诉求.docx');
    expect(normalizeRobotMessage(robotMessage({ msgtype: 'video', content: { downloadCode: 'dl-v', duration: 3 } })).unsupported).toBe('视频');
    expect(normalizeRobotMessage(robotMessage({ msgtype: 'unknownMsgType', content: { unknownMsgType: '用户发送了一条消息，机器人暂不支持接收。' } })).unsupported).toContain('暂不支持');
    const audio = normalizeRobotMessage(robotMessage({ msgtype: 'audio', content: { downloadCode: 'dl-a', recognition: '杏林街道菜市场噪音太大', duration: 4 } }));
    expect(audio).toMatchObject({ text: '杏林街道菜市场噪音太大', parts: [{ kind: 'text', resourceKey: 'dl-a' }] });
    expect(audio.unsupported).toBeUndefined();
  });

  it('a chat record whose entries did not survive the forward is unreadable, not a record titled 聊天记录', () => {
    const empty = normalizeRobotMessage(robotMessage({ msgtype: 'chatRecord', content: { title: '群聊的聊天记录', summary: [], chatRecord: [] } }));
    expect(empty).toMatchObject({ text: '', parts: [], unsupported: '内容为空的聊天记录' });
  });

  it('a nested chat record becomes one message that keeps every resident, sender and depth', () => {
    const inner = chatRecordContent('楼栋群的聊天记录', [{ name: '王阿姨', text: '电梯又坏了三天' }, { name: '赵师傅', text: '物业电话打不通' }]);
    const body = chatRecordBody(chatRecordContent('后溪镇居民群的聊天记录', [
      { name: '李四', text: '后溪镇新村路灯不亮' },
      { name: '王五', type: 'chatRecord', content: JSON.stringify(inner) },
      { name: '孙六', text: '希望尽快修' },
    ]));
    const m = normalizeRobotMessage(robotMessage(body));
    expect(m.parts.map((p) => [p.senderName, p.depth])).toEqual([['李四', 1], ['王五', 1], ['王阿姨', 2], ['赵师傅', 2], ['孙六', 1]]);
    expect(m.truncated).toBeUndefined();
    const text = messageText(m);
    for (const words of ['后溪镇新村路灯不亮', '电梯又坏了三天', '物业电话打不通', '希望尽快修', '李四', '赵师傅']) expect(text).toContain(words);
  });

  it('a chat record whose summary lists more messages than arrived is marked truncated', () => {
    const all = [{ name: '甲', text: '一' }, { name: '乙', text: '二' }, { name: '丙', text: '三' }];
    const m = normalizeRobotMessage(robotMessage(chatRecordBody(chatRecordContent('记录', all.slice(0, 1), { summaryFor: all }))));
    expect(m.truncated).toBe(true);
    expect(m.notice).toBe(INCOMPLETE_RECORD_NOTICE);
    expect(messageText(m)).toContain('可能不完整');
    // The words only the summary carries are kept, beneath a marker, one level deeper.
    expect(m.parts.map((p) => [p.senderName, p.text, p.depth])).toEqual([['甲', '一', 1], [undefined, SUMMARY_ONLY_TAG, 1], ['乙', '二', 2], ['丙', '三', 2]]);
  });

  it('a summary line matches the entry it cuts short; lines with no words add nothing', () => {
    const list = [{ name: '甲', text: '后溪镇新村3号楼电梯又坏了三天，老人上下楼很困难' }, { name: '乙', type: 'picture', content: { downloadCode: 'd1' } }];
    const summary = JSON.stringify(['甲:后溪镇新村3号楼电梯又坏了三天…', '乙:[图片]', '丙:[语音]']);
    const m = normalizeRobotMessage(robotMessage(chatRecordBody({ ...chatRecordContent('记录', list), summary })));
    expect(m.parts.map((p) => p.senderName)).toEqual(['甲', '乙']);
  });

  it('an empty chatRecord list falls back to the summary lines, marked truncated', () => {
    const m = normalizeRobotMessage(robotMessage(chatRecordBody({ title: '记录', summary: JSON.stringify(['甲:杏滨街道停车难']), chatRecord: '[]' })));
    expect(m).toMatchObject({ truncated: true, parts: [{ senderName: '甲', text: '杏滨街道停车难' }] });
  });

  it('a group reply to a chat record files title and summary and asks for the record 1:1', () => {
    const m = normalizeRobotMessage(robotMessage({ msgtype: 'text', text: { content: ' 请登记', isReplyMsg: true, repliedMsg: { msgId: 'x', msgType: 'chatRecord', content: { title: '群聊的聊天记录', summary: '李四:侨英街道垃圾没人清\n王五:已经一周了' } } } }, { group: true }));
    expect(m).toMatchObject({ truncated: true, notice: FORWARD_RECORD_NOTICE });
    const text = messageText(m);
    for (const words of ['请登记', '群聊的聊天记录', '侨英街道垃圾没人清', '王五']) expect(text).toContain(words);
  });
});

describe('DingTalk webhook verifier', () => {
  const verifier = dingtalkVerifier({ appSecret: 'dt-app-secret' });
  const body = JSON.stringify(robotMessage(textBody('x'), { msgId: 'mk' }));
  const req = (headers: Record<string, string>, now = 1_700_000_000_000) => verifier.handle({ headers: new Headers(headers), rawBody: body, now });

  it('accepts the documented test vector and keys the message by msgId', async () => {
    expect(signDingtalk('1700000000000', 'dt-app-secret')).toBe('INrz4sN8SDL9wUtr7EEfaMVif4hHF8xA51V0ARHhITU=');
    expect(await req({ timestamp: '1700000000000', sign: 'INrz4sN8SDL9wUtr7EEfaMVif4hHF8xA51V0ARHhITU=' })).toMatchObject({ kind: 'message', key: 'mk' });
  });

  it('rejects a wrong sign, missing headers and a timestamp more than an hour off', async () => {
    await expect(req({ timestamp: '1700000000000', sign: 'AAAA' })).rejects.toMatchObject({ code: 'invalid_signature' });
    await expect(req({ timestamp: '1700000000000' })).rejects.toMatchObject({ code: 'invalid_signature' });
    await expect(req({ timestamp: '1700000000000', sign: signDingtalk('1700000000000', 'dt-app-secret') }, 1_700_000_000_000 + 3600_001)).rejects.toMatchObject({ code: 'stale_timestamp' });
  });
});
