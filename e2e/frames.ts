import type { Page } from '@playwright/test';

/** Frame times while a user scrolls the lines table with the mouse wheel: how many frames took over 50 ms. */
export interface ScrollFrames {
  frames: number;
  slow: number;
  /** Share of frames over 50 ms, in percent. */
  slowPercent: number;
  worstMs: number;
  /** Main-thread tasks over 50 ms in the page (work of the console itself, not of other processes). */
  longTasks: number;
  /** How far the table scrolled, in pixels (proves the wheel reached it). */
  scrolled: number;
}

export const SLOW_FRAME_MS = 50;

/**
 * Wheels down the lines table for `steps` notches (one per 16 ms, as a fast hand does) while the page records
 * the time between animation frames. The pointer rests on the table so the wheel scrolls it.
 */
export async function scrollAndCountFrames(page: Page, steps = 300): Promise<ScrollFrames> {
  const scroller = page.locator('.lines-scroll');
  const box = (await scroller.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const start = await scroller.evaluate((el) => el.scrollTop);
  // A string, not a function: tsx (the benchmark) would wrap a named inner function in a helper the page lacks.
  await page.evaluate(`(() => {
    const w = window;
    w.frameGaps = [];
    w.frameStop = false;
    w.longTasks = 0;
    w.longObserver = new PerformanceObserver((list) => (w.longTasks += list.getEntries().length));
    w.longObserver.observe({ entryTypes: ['longtask'] });
    let last = performance.now();
    const loop = (now) => {
      w.frameGaps.push(now - last);
      last = now;
      if (!w.frameStop) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  })()`);
  for (let i = 0; i < steps; i++) {
    await page.mouse.wheel(0, 120);
    await page.waitForTimeout(16);
  }
  const { gaps, longTasks } = await page.evaluate(() => {
    const w = window as unknown as { frameGaps: number[]; frameStop: boolean; longTasks: number; longObserver?: PerformanceObserver };
    w.frameStop = true;
    w.longObserver?.disconnect();
    return { gaps: w.frameGaps.slice(1), longTasks: w.longTasks };
  });
  const end = await scroller.evaluate((el) => el.scrollTop);
  const slow = gaps.filter((g) => g > SLOW_FRAME_MS).length;
  return { frames: gaps.length, slow, slowPercent: (100 * slow) / Math.max(1, gaps.length), worstMs: Math.round(Math.max(0, ...gaps)), longTasks, scrolled: end - start };
}
