/**
 * Runs items with at most `limit` in flight. Items of the same lane run one after another in the given
 * order (a chat's messages: a member's note after a bundle, a short answer to the bot's question); items
 * whose lane is null each form a lane of their own. Lanes start in the order of their first item.
 */
export async function runInLanes<T>(items: readonly T[], limit: number, laneOf: (item: T) => string | null, run: (item: T) => Promise<void>): Promise<void> {
  const lanes: T[][] = [];
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const key = laneOf(item);
    const lane = key === null ? undefined : byKey.get(key);
    if (lane) {
      lane.push(item);
      continue;
    }
    const fresh = [item];
    lanes.push(fresh);
    if (key !== null) byKey.set(key, fresh);
  }
  let next = 0;
  const runner = async () => {
    while (next < lanes.length) {
      const lane = lanes[next++]!;
      for (const item of lane) await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), lanes.length) }, runner));
}
