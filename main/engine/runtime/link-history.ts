// The reconnect history of every instance: when its link dropped and why, when it was back and after how long.
// Read from the connection statuses the runtimes push, kept in an append-only JSON-lines file so it survives a
// restart, and trimmed to the last 7 days (and a bound per instance) when loaded and when read.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ConnectionState, ConnectionStatus, LinkHistoryEvent } from '../../../shared/api/drivers';
import { coded, type Coded } from '../../../shared/problems';

export const LINK_HISTORY_DAYS = 7;
const KEEP_MS = LINK_HISTORY_DAYS * 86_400_000;
/** Events kept per instance at most: a link flapping all week must not grow the file without bound. */
export const LINK_HISTORY_MAX_EVENTS = 1000;

interface Track {
  events: LinkHistoryEvent[];
  state?: ConnectionState;
  /** When the link went down in this process (a downtime is not measured across a restart). */
  downAt?: number;
}

export interface LinkHistoryOptions {
  /** The JSON-lines file; in memory only without one. */
  file?: string;
  clock?: () => number;
  log?: { warn(message: string | Coded): void };
}

export class LinkHistory {
  private readonly tracks = new Map<string, Track>();
  private readonly clock: () => number;

  constructor(private readonly options: LinkHistoryOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.load();
  }

  /** Takes one pushed status: a drop (or a failed start) is one `down` until the link is `up` again. */
  observe(s: ConnectionStatus): void {
    const track = this.track(s.instanceId);
    const prev = track.state;
    track.state = s.state;
    const now = this.clock();
    if (s.state === 'connected' && prev !== 'connected') {
      this.add(s.instanceId, { at: new Date(now).toISOString(), kind: 'up', ...(track.downAt !== undefined ? { downMs: now - track.downAt } : {}) });
      track.downAt = undefined;
    } else if ((s.state === 'lost' || s.state === 'retrying') && track.downAt === undefined && s.lastError) {
      track.downAt = now;
      this.add(s.instanceId, { at: new Date(now).toISOString(), kind: 'down', code: s.lastError.code, message: s.lastError.message });
    } else if (s.state === 'stopped' && prev !== undefined && prev !== 'stopped') {
      track.downAt = undefined;
      this.add(s.instanceId, { at: new Date(now).toISOString(), kind: 'stopped' });
    }
  }

  /** The instance's events of the last 7 days, oldest first. */
  list(instanceId: string): LinkHistoryEvent[] {
    const track = this.tracks.get(instanceId);
    if (!track) return [];
    const since = this.clock() - KEEP_MS;
    track.events = track.events.filter((e) => Date.parse(e.at) >= since);
    return [...track.events];
  }

  /** An instance was deleted: its history goes with it (the file forgets it at the next load). */
  forget(instanceId: string): void {
    this.tracks.delete(instanceId);
  }

  private track(instanceId: string): Track {
    let t = this.tracks.get(instanceId);
    if (!t) this.tracks.set(instanceId, (t = { events: [] }));
    return t;
  }

  private add(instanceId: string, e: LinkHistoryEvent): void {
    const track = this.track(instanceId);
    track.events.push(e);
    if (track.events.length > LINK_HISTORY_MAX_EVENTS) track.events.splice(0, track.events.length - LINK_HISTORY_MAX_EVENTS);
    const file = this.options.file;
    if (!file) return;
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      appendFileSync(file, JSON.stringify({ instanceId, ...e }) + '\n', { mode: 0o600 });
    } catch (err) {
      this.options.log?.warn(coded('logApp.historyNotWritten', { file, detail: (err as Error).message }));
    }
  }

  /** Reads the file, keeps what is recent (and the bound), and writes it back compacted. Unreadable lines are skipped. */
  private load(): void {
    const file = this.options.file;
    if (!file || !existsSync(file)) return;
    const since = this.clock() - KEEP_MS;
    let lines: string[];
    try {
      lines = readFileSync(file, 'utf8').split('\n');
    } catch (err) {
      this.options.log?.warn(coded('logApp.historyNotRead', { file, detail: (err as Error).message }));
      return;
    }
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        const { instanceId, ...e } = JSON.parse(line) as LinkHistoryEvent & { instanceId: string };
        if (typeof instanceId !== 'string' || !['up', 'down', 'stopped'].includes(e.kind) || !(Date.parse(e.at) >= since)) continue;
        const t = this.track(instanceId);
        t.events.push(e);
        if (t.events.length > LINK_HISTORY_MAX_EVENTS) t.events.shift();
      } catch {
        // a line cut short by a crash; the rest is still good
      }
    }
    try {
      const kept = [...this.tracks].flatMap(([instanceId, t]) => t.events.map((e) => JSON.stringify({ instanceId, ...e }) + '\n'));
      writeFileSync(`${file}.tmp`, kept.join(''), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    } catch (err) {
      this.options.log?.warn(coded('logApp.historyNotCompacted', { file, detail: (err as Error).message }));
    }
  }
}
