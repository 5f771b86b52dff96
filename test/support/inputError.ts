import { expect } from 'vitest';
import { InputError } from '../../electron/engine/errors.js';

/** The InputError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function expectInputError(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}
