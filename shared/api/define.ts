import type { z } from 'zod';

/** A method of the API: its input schema (validated in main on every call) and, as a type only, its output. */
export interface MethodDef<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  /** Phantom: carries the output type; never set at run time. */
  readonly __output?: O;
}

/** An event pushed from main to the UI; the payload type is phantom like a method's output. */
export interface EventDef<P = unknown> {
  readonly __payload?: P;
}

/** `method<Output>()(inputSchema)`: curried so the output type is given and the input type inferred. */
export const method =
  <O>() =>
  <I extends z.ZodType>(input: I): MethodDef<I, O> => ({ input });

export const event = <P>(): EventDef<P> => ({});
