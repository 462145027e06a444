/**
 * Traditional characters of the names this resolver knows, mapped to the simplified ones the gazetteer
 * uses: 後溪鎮 → 后溪镇, 僑英街道 → 侨英街道. Hand-written because core/ takes no packages and a full
 * conversion table (OpenCC's) is large and one-to-many (後/后, 乾/干); only the characters of 集美区's
 * towns and 社区/村 names matter here, and each maps to exactly one character. A district with other
 * names needs its characters added here.
 */
const PAIRS =
  '後后 鎮镇 僑侨 濱滨 區区 縣县 鄉乡 東东 寧宁 園园 場场 莊庄 黃黄 龍龙 錦锦 鶴鹤 興兴 農农 頭头 嶺岭 輝辉 許许 陳陈 ' +
  '馬马 鑾銮 灣湾 銀银 潯浔 滸浒 孫孙 葉叶 樂乐 鳳凤 營营 寶宝 內内 蓮莲 鐵铁 雙双 誠诚 盛盛 廈厦 門门 學学 ' +
  '號号 華华 藥药 線线 溝沟 裡里 邊边 帶带 聯联 淺浅 廣广 溫温 圖图 館馆 廳厅 處处 會会 長长 關关 號号 顯显';

const TRADITIONAL = new Map<string, string>();
for (const pair of PAIRS.split(' ')) if (pair[0] !== pair[1]) TRADITIONAL.set(pair[1]!, pair[0]!);

/**
 * 后溪镇 → 後溪鎮; the name itself when none of its characters has a traditional form here. The resolver
 * adds these as extra patterns rather than converting every message: it costs nothing per message
 * (a converting pass over each text was a tenth of the resolver's time).
 */
export function toTraditional(name: string): string {
  let out = '';
  for (const c of name) out += TRADITIONAL.get(c) ?? c;
  return out;
}
