import type { FeatureDefinition } from '../../shared/featureRules.js';
import type { KeyClaim } from '../../shared/keyClaims.js';
import type { FeatureState } from '../../shared/verdict.js';
import type { ComparisonResult, Progress } from '../../shared/model.js';
import { CancelledError, InputError, type InputErrorDetails } from './errors.js';

/** The rules and claims a run judges by, as plain data for the worker. */
export interface WorkerJudgement {
  claims?: { feature: string; claimed: FeatureState }[];
  keyClaims?: KeyClaim[];
  features?: FeatureDefinition[];
  ruleFiles?: string[];
}

export interface WorkerRequest extends WorkerJudgement {
  oldPath: string;
  newPath: string;
}

/** What the timeline worker is asked: builds in the order given, and whether to keep that order. */
export interface TimelineWorkerRequest extends Omit<WorkerJudgement, 'claims'> {
  paths: string[];
  keepOrder: boolean;
}

export type SerializedError =
  | { kind: 'input'; problem: string; details: InputErrorDetails }
  | { kind: 'cancelled' | 'internal'; message: string };

/** What a worker posts: progress now and then, then its result or its error. */
export type WorkerMessage<Result = ComparisonResult> =
  | { type: 'progress'; progress: Progress }
  | { type: 'result'; result: Result }
  | { type: 'error'; error: SerializedError };

/** What the file-text worker is asked: one file of one package. */
export interface FileTextRequest {
  packagePath: string;
  devicePath: string;
}

/** Errors cross the thread boundary as plain data; the kind says how to rebuild them. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof InputError) {
    const details: InputErrorDetails = { file: error.file, format: error.format };
    if (error.offset !== undefined) details.offset = error.offset;
    if (error.expected !== undefined) details.expected = error.expected;
    return { kind: 'input', problem: error.problem, details };
  }
  if (error instanceof CancelledError) return { kind: 'cancelled', message: error.message };
  return { kind: 'internal', message: error instanceof Error ? error.message : String(error) };
}

export function deserializeError(error: SerializedError): Error {
  switch (error.kind) {
    case 'input':
      return new InputError(error.problem, error.details);
    case 'cancelled':
      return new CancelledError();
    case 'internal':
      return new Error(error.message);
  }
}
