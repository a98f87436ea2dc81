import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 };
export const MIN_SIZE = { width: 900, height: 600 };

function parse(text: string): WindowState | undefined {
  const v = JSON.parse(text) as Partial<WindowState>;
  const b = v?.bounds;
  if (!b || ![b.x, b.y, b.width, b.height].every((n) => Number.isFinite(n))) return undefined;
  return { bounds: { x: b.x, y: b.y, width: b.width, height: b.height }, maximized: v.maximized === true };
}

/** The remembered window, or undefined when there is none or the file is damaged (then the default applies). */
export function loadWindowState(file: string): WindowState | undefined {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  const temp = `${file}.tmp`;
  writeFileSync(temp, JSON.stringify(state));
  renameSync(temp, file);
}

/**
 * Where to open the window: the remembered bounds if enough of the title bar is on one of today's displays (a
 * monitor may have gone), sized at least the minimum and at most that display's work area; else the default
 * size, centred by the window manager (no x/y).
 */
export function restoreBounds(saved: WindowState | undefined, workAreas: Rect[]): { bounds: Partial<Rect> & { width: number; height: number }; maximized: boolean } {
  if (!saved) return { bounds: { ...DEFAULT_SIZE }, maximized: false };
  const b = saved.bounds;
  const titleBar = { x: b.x, y: b.y, width: b.width, height: 32 };
  const area = workAreas.find((a) => {
    const w = Math.min(titleBar.x + titleBar.width, a.x + a.width) - Math.max(titleBar.x, a.x);
    const h = Math.min(titleBar.y + titleBar.height, a.y + a.height) - Math.max(titleBar.y, a.y);
    return w >= 100 && h >= 16;
  });
  if (!area) return { bounds: { width: Math.max(MIN_SIZE.width, Math.min(b.width, DEFAULT_SIZE.width)), height: Math.max(MIN_SIZE.height, Math.min(b.height, DEFAULT_SIZE.height)) }, maximized: saved.maximized };
  const width = Math.min(Math.max(b.width, MIN_SIZE.width), area.width);
  const height = Math.min(Math.max(b.height, MIN_SIZE.height), area.height);
  return { bounds: { x: b.x, y: b.y, width, height }, maximized: saved.maximized };
}
