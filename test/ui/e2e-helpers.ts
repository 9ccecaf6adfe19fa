// Shared by the e2e tests of the trace screen.
import type { TmuxScreen } from './tmux.js';

/**
 * Shows the merged timeline, whatever the first screen chose. t toggles it; the first screen settles
 * in its first moments, so look once some rows came, and press t only when the key was handled:
 * a second t would undo the first.
 */
export async function ensureMerged(t: TmuxScreen, settled = (x: string) => Number(/total ([\d,]+)/.exec(x)?.[1].replace(/,/g, '') ?? 0) >= 100): Promise<string> {
  const s = await t.waitFor(settled, 30000);
  if (s.includes('[merged timeline]')) return s;
  t.keys('t');
  return t.waitFor('[merged timeline]', 30000);
}
