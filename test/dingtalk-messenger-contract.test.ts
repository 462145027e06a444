import { messengerContract } from './contract/messenger-contract.js';
import { DingtalkApiClient } from '../src/channels/dingtalk/api-client.js';
import { DingtalkMessenger } from '../src/channels/dingtalk/messenger.js';
import { startFakeDingtalk } from './fakes/fake-dingtalk.js';

async function harness(route: 'session' | 'group' | 'user') {
  const fake = await startFakeDingtalk();
  const api = new DingtalkApiClient({ appKey: fake.appKey, appSecret: fake.appSecret, apiBase: fake.url });
  const messenger = new DingtalkMessenger({ api, robotCode: fake.appKey });
  const session = fake.session('contract', route === 'session' ? Date.now() + 90 * 60_000 : Date.now() - 1000);
  return {
    messenger,
    target: {
      platform: 'dingtalk' as const, chatId: 'dingtalk:cidCONTRACT==', chatType: route === 'user' ? ('p2p' as const) : ('group' as const),
      sessionWebhook: session.url, sessionWebhookExpiresAt: session.expiresAt, userId: '0420000297',
    },
    delivered: async () => fake.deliveries.filter((d) => d.route === route).map((d) => ({ text: d.text, buttons: d.buttons })),
    close: () => fake.close(),
  };
}

messengerContract('dingtalk (session webhook)', () => harness('session'));
messengerContract('dingtalk (OpenAPI group send)', () => harness('group'));
messengerContract('dingtalk (OpenAPI 1:1 batch send)', () => harness('user'));
