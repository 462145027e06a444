/**
 * Matters that must not go out as 社情民意信息, each with the reason a staff member is shown. Keyword rules:
 * deliberately simple and visible, so the office can read and edit them; a hit refuses the draft and names
 * the word that hit, so a false positive is obvious and the staff member can rephrase or file it another way.
 *   信访    — complaints already in, or meant for, the 信访 channel (《信访工作条例》 governs those)
 *   涉诉    — matters before a court or arbitration: the CPPCC does not intervene in judicial cases
 *   人事    — appointments, promotions, staffing of named officials or bodies
 *   涉密    — anything marked or described as secret/internal
 *   个人隐私 — one household's private affairs (marriage, illness, debts) rather than a public problem
 *   事权    — matters decided above the district (central/provincial powers, customs, railways, army…)
 */
export type ExclusionKind = '信访' | '涉诉' | '人事' | '涉密' | '个人隐私' | '事权';

export interface ExclusionRule {
  kind: ExclusionKind;
  pattern: RegExp;
  reason: string;
}

export const EXCLUSION_RULES: readonly ExclusionRule[] = [
  { kind: '信访', pattern: /信访|上访|越级访|进京访|访民|信访件/, reason: '属于信访事项，应按《信访工作条例》通过信访渠道办理，不宜作为社情民意信息报送' },
  { kind: '涉诉', pattern: /起诉|诉讼|上诉|法院|判决|裁定书|仲裁|已立案|打官司|官司|律师函/, reason: '涉及诉讼或仲裁，政协不介入司法个案，不宜报送' },
  { kind: '人事', pattern: /人事任免|任免|提拔|干部任用|选拔任用|人事调动|职称评定|编制问题|招录|考核评优/, reason: '涉及人事事项，不属于社情民意信息报送范围' },
  { kind: '涉密', pattern: /涉密|机密|绝密|秘密文件|内部文件|保密|密级/, reason: '可能涉及国家秘密或内部事项，不得通过本系统报送' },
  { kind: '个人隐私', pattern: /离婚|婚外|家庭纠纷|家暴|病历|病情|隐私|个人债务|欠我|借钱不还|遗产/, reason: '属于个人或家庭隐私事项，不具有普遍性，不宜报送' },
  { kind: '事权', pattern: /国务院|党中央|全国人大|外交|国防|军队|部队|军事|海关|铁路局|民航|高铁线路|央企|省政府|省委|全省范围/, reason: '超出区级事权，应由上级机关或中央、省属单位处理，不宜以区级社情民意报送' },
];

export interface Exclusion {
  kind: ExclusionKind;
  reason: string;
  matched: string;
}

export function checkExclusions(text: string): Exclusion[] {
  const out: Exclusion[] = [];
  for (const rule of EXCLUSION_RULES) {
    const m = rule.pattern.exec(text);
    if (m) out.push({ kind: rule.kind, reason: rule.reason, matched: m[0] });
  }
  return out;
}
