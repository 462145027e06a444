import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptMessage } from '../src/app/accept-message.js';
import { type StreamClient, type StreamFrame, startDingtalkStream, TOPIC_ROBOT } from '../src/channels/dingtalk/stream.js';
import { type FakeDingtalk, startFakeDingtalk } from './fakes/fake-dingtalk.js';
import { robotMessage, textBody } from './support/dingtalk-events.js';
import { startTestServer, type TestServer } from './support/runtime.js';

/** Stands in for dingtalk-stream's DWClient: delivers CALLBACK frames and records acks. */
class FakeSocket implements StreamClient {
  listeners = new Map<string, (f: StreamFrame) => void>();
  acks: Array<{ messageId: string; result: unknown; rowExisted: boolean }> = [];
  connected = false;
  constructor(private readonly rowExists: (msgId: string) => boolean, private readonly msgIdOf: (messageId: string) => string) {}
  registerCallbackListener(topic: string, cb: (f: StreamFrame) => void) {
    this.listeners.set(topic, cb);
    return this;
  }
  socketCallBackResponse(messageId: string, result: unknown) {
    this.acks.push({ messageId, result, rowExisted: this.rowExists(this.msgIdOf(messageId)) });
  }
  async connect() {
    this.connected = true;
  }
  disconnect() {
    this.connected = false;
  }
  push(frame: StreamFrame) {
    this.listeners.get(frame.headers.topic ?? TOPIC_ROBOT)!(frame);
  }
}

describe('DingTalk Stream mode', () => {
  let fake: FakeDingtalk;
  let s: TestServer;
  beforeAll(async () => {
    fake = await startFakeDingtalk();
    s = await startTestServer({ env: { ...fake.env, DINGTALK_MODE: 'stream' } });
  });
  afterAll(async () => {
    await s?.close();
    await fake?.close();
  });

  const rowExists = (msgId: string) => s.runtime.sqlite.sqlite.prepare('select 1 from inbound_messages where platform = ? and message_key = ?').all('dingtalk', msgId).length === 1;

  it('a callback frame is acknowledged only after its row exists, then filed and answered like a webhook', async () => {
    const frameToMsg = new Map<string, string>();
    const socket = new FakeSocket(rowExists, (id) => frameToMsg.get(id)!);
    const stop = await startDingtalkStream(socket, async (m) => {
      expect(rowExists(m.key)).toBe(false);
      await acceptMessage(s.deps, m);
    }, s.deps.log);
    expect(socket.connected).toBe(true);
    const session = fake.session('stream-1');
    const body = robotMessage(textBody('集美街道岑东路的人行道砖松动，下雨踩上去溅一身水'), { msgId: 'msgSTREAM1==', conversationId: 'cidSTREAM==', session });
    frameToMsg.set('frame-1', 'msgSTREAM1==');
    socket.push({ headers: { messageId: 'frame-1', topic: TOPIC_ROBOT }, data: JSON.stringify(body) });
    await stop();
    expect(socket.acks).toEqual([{ messageId: 'frame-1', result: { response: {} }, rowExisted: true }]);
    await s.settle();
    expect(fake.deliveries.filter((d) => d.to === 'stream-1').map((d) => d.text).join()).toMatch(/JM-\d{4}-\d{4}/);
  });

  it('when persisting fails the frame is not acknowledged, so DingTalk pushes it again', async () => {
    const socket = new FakeSocket(rowExists, () => 'msgSTREAM2==');
    const stop = await startDingtalkStream(socket, async () => {
      throw new Error('disk full');
    }, s.deps.log);
    socket.push({ headers: { messageId: 'frame-2' }, data: JSON.stringify(robotMessage(textBody('x'), { msgId: 'msgSTREAM2==' })) });
    await stop();
    expect(socket.acks).toHaveLength(0);
    expect(rowExists('msgSTREAM2==')).toBe(false);
  });

  it('stream mode is wired when DINGTALK_MODE=stream', () => {
    expect(s.runtime.platforms.find((p) => p.channel.platform === 'dingtalk')?.startLongConnection).toBeTypeOf('function');
  });
});
