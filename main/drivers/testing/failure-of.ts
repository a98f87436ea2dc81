// Test helper: the DriverFailure a promise rejects with (and a test failure when it resolves or throws another error).
import { expect } from 'vitest';
import { DriverFailure } from '../driver';

export async function failureOf(p: Promise<unknown>): Promise<DriverFailure> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DriverFailure);
    return e as DriverFailure;
  }
  throw new Error('expected a failure');
}
