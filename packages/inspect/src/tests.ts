/**
 * The name of each detector's test as an inspector reads it (zh-CN, en). A detector not
 * listed (a newer one) is shown by its own name in both languages.
 */
const TEST_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  'burst-before-evaluation': { 'zh-CN': '评估前激增（率比检验）', en: 'Burst before an evaluation (rate-ratio test)' },
  backfill: { 'zh-CN': '集中补录（二项检验）', en: 'Backfilling (binomial test)' },
  'under-dispersion': {
    'zh-CN': '过于平稳（离散指数，χ² 下尾检验）',
    en: 'Too steady (index of dispersion, lower-tail χ²)',
  },
  'machine-regular-timing': {
    'zh-CN': '机器般规律的操作时间（突发性系数、秒位 χ²）',
    en: 'Machine-regular timing (burstiness, second-of-minute χ²)',
  },
  'digit-preference': { 'zh-CN': '数字偏好（末位数字 χ²、Benford）', en: 'Digit preference (last-digit χ², Benford)' },
  'cross-unit-sameness': { 'zh-CN': '跨单位数值雷同', en: 'Identical values across actors or units' },
  'duplicate-content': { 'zh-CN': '重复内容（内容哈希、SimHash）', en: 'Duplicate content (content hashes, SimHash)' },
  'implausible-durations': { 'zh-CN': '不合理的填报用时', en: 'Implausible durations' },
  'deadline-crunch': { 'zh-CN': '截止前突击完成', en: 'Deadline crunch' },
  'idle-platform': { 'zh-CN': '平台闲置（摆设）', en: 'Idle platform (for show only)' },
  'metric-inflation': { 'zh-CN': '上报指标虚高（泊松区间）', en: 'Metric inflation (Poisson interval)' },
  'burst-rising': { 'zh-CN': '激增预警（CUSUM）', en: 'Early warning: burst rising (CUSUM)' },
  'repeated-entry': { 'zh-CN': '重复填报', en: 'Repeated entry' },
  'presence-only': { 'zh-CN': '只留痕（签到、浏览为主）', en: 'Traces for their own sake (presence only)' },
};

export function testName(detector: string): { 'zh-CN': string; en: string } {
  return TEST_NAMES[detector] ?? { 'zh-CN': detector, en: detector };
}
