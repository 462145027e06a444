import { FeishuApiClient } from '../src/channels/feishu/api-client.js';
import { feishuMessenger } from '../src/channels/feishu/messenger.js';
import { messengerContract } from './contract/messenger-contract.js';
import { FakeFeishu, readCard } from './fakes/fake-feishu.js';

messengerContract('feishu', async () => {
  const fake = await new FakeFeishu({ appId: 'cli_contract', appSecret: 'secret', botOpenId: 'ou_bot' }).start();
  const api = new FeishuApiClient({ appId: 'cli_contract', appSecret: 'secret', domain: fake.url });
  return {
    messenger: feishuMessenger(api),
    target: { platform: 'feishu', chatId: 'feishu:oc_contract', messageId: 'om_member_msg' },
    delivered: async () => fake.posted.map((p) => readCard(p.content)),
    close: () => fake.close(),
  };
});
