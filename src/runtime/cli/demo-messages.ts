import type { OfficeData } from './seed-command.js';
import type { IntakeInput } from './intake-runner.js';

/** Sample office data and messages for `minyi demo`, written for it (not taken from any real data set). */
export const DEMO_OFFICE: OfficeData = {
  people: [
    { name: '陈委员', role: 'member', town: '灌口镇', http: 'member-chen' },
    { name: '林委员', role: 'member', town: '杏林街道', http: 'member-lin' },
    { name: '王干事', role: 'staff', town: null, http: 'staff-wang' },
  ],
  chats: [],
  aliases: [{ alias: '灌口中学', town: '灌口镇' }],
};

const chen = { id: 'member-chen', name: '陈委员' };
const lin = { id: 'member-lin', name: '林委员' };
const guest = { id: 'resident-guest', name: '热心群众' };

export const DEMO_MESSAGES: IntakeInput[] = [
  { sender: chen, text: '灌口镇上头亭社区村口的路灯坏了一个多月，晚上老人孩子出行很不安全，希望尽快修好。' },
  { sender: chen, text: '上头亭社区村口路灯坏了有一个多月了，晚上黑漆漆的，出门很不安全，麻烦修一下。' },
  { sender: chen, text: '灌口中学门口早晚高峰车辆乱停，学生过马路很危险，建议增设护学岗和减速带。' },
  { sender: chen, text: '居民反映：小区二次供水水箱长期没有清洗，自来水有异味，联系人电话13906921234。' },
  { sender: lin, text: '杏林街道杏北社区农贸市场周边污水横流，夏天臭味很重，希望加强清扫。' },
  { sender: lin, text: '杏林湾路有工地夜间施工，噪音扰民到凌晨两点，居民无法休息。' },
  { sender: lin, text: '杏滨街道西滨社区公园的健身器材坏了好几件，老人锻炼不方便。' },
  { sender: lin, text: '孩子今年上小学，户籍在杏林但是学区划分不清楚，想咨询入学政策。' },
  { sender: guest, text: '侨英街道孙厝社区凤林路公交站没有遮雨棚，下雨天等车全身湿透。' },
  { sender: guest, text: '侨英街道浒井社区有人占用消防通道开店，多次劝说无效，存在安全隐患。' },
  { sender: guest, text: '后溪镇溪西村一家养殖场粪水直排进河道，河水发黑发臭，请环保部门查处。' },
  { sender: guest, text: '后溪镇的公交车班次太少，去岛内上班要等四十分钟，建议加密班次。' },
  { sender: guest, text: '集美街道岑东社区广场舞音响晚上十点以后还很大声，影响休息。' },
  { sender: guest, text: '集美街道浔江社区一家药店销售过期药品，小票还在，请市场监管部门处理。' },
  { sender: guest, text: '灌口镇一家工厂拖欠三十多名工人三个月工资，工人讨薪无门。' },
  { sender: guest, text: '楼下早餐店油烟直接排到楼道里，整栋楼都是油烟味。' },
  { sender: chen, text: '灌口镇深青村的村道坑洼不平，下雨天积水很深，电动车经常摔倒。' },
  { sender: lin, text: '杏林街道有养老院收费不透明，老人家属质疑乱收费，身份证号350211198001011234的老人被多收了三千元。' },
  { sender: guest, text: '后溪镇溪西村村口路灯不亮已经半个月，晚上走路看不见。' },
  // A member's numbered list of two places: two records, each with its own receipt.
  { sender: lin, text: '居民反映两个问题：1. 集美街道银亭社区人行道地砖松动，老人容易绊倒；2. 杏滨街道马銮社区河边垃圾堆积没人清运。' },
  // A problem added at another place with 另外: two records as well.
  { sender: chen, text: '灌口镇东辉村菜市场门口积水很深，买菜要蹚水。另外，后溪镇仑上村的垃圾好几天没人清运，臭气熏天。' },
  // Message 1's problem in other words, below the join threshold: filed on its own, its receipt names JM-2026-0001 as
  // 相似记录 for staff to 合并 if they judge it the same.
  { sender: chen, text: '上头亭社区路口的路灯一个多月没亮了，村里老人晚上出门很害怕，请尽快维修。' },
];
