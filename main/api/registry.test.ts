import { describe, expect, it } from 'vitest';
import { createDispatcher, type Handlers } from './registry';

/** Handlers that all fail the way a buggy handler might; the dispatcher must still answer every call. */
function failing(thrown: () => unknown): Handlers {
  return new Proxy({} as Handlers, {
    get: () => async () => {
      throw thrown();
    },
  });
}

describe('API dispatcher', () => {
  it('answers INTERNAL for any thrown value, even one whose toString throws', async () => {
    const hostile = Object.create(null);
    for (const [thrown, message] of [
      [new Error('plain'), 'plain'],
      ['a string', 'a string'],
      [undefined, 'undefined'],
      [hostile, '[object Object]'],
      [{ toString: () => { throw new Error('no'); } }, '[object Object]'],
    ] as const) {
      const dispatch = createDispatcher(failing(() => thrown));
      expect(await dispatch('app.info', {})).toEqual({ ok: false, error: { code: 'INTERNAL', message } });
    }
  });

  it('still answers when the error log itself fails', async () => {
    const dispatch = createDispatcher(failing(() => new Error('handler failed')), () => {
      throw new Error('disk full');
    });
    await expect(dispatch('app.info', {})).resolves.toEqual({ ok: false, error: { code: 'INTERNAL', message: 'handler failed' } });
  });

  it('answers UNKNOWN_METHOD for names of the prototype and INVALID_INPUT for input of the wrong type', async () => {
    const dispatch = createDispatcher(failing(() => new Error('never reached')));
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '']) expect(await dispatch(name, {}), name).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    for (const input of [3, 'x', [], true]) expect(await dispatch('log.recent', input), String(input)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
