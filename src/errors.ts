/** The failures callers branch on; anything else is a bug and stays a plain Error. */
export type OffboardErrorCode =
  | 'corrupt_record'
  | 'redis_unavailable'
  | 'conflict'
  | 'bad_config'
  | 'limit';

export class OffboardError extends Error {
  override readonly name = 'OffboardError';
  readonly code: OffboardErrorCode;
  /** Human-readable context for logs; never user content (it may be personal). */
  readonly detail: string | undefined;

  constructor(code: OffboardErrorCode, detail?: string, cause?: unknown) {
    super(detail ? `${code}: ${detail}` : code, cause === undefined ? undefined : { cause });
    this.code = code;
    this.detail = detail;
  }
}

export function isOffboardError(err: unknown, code?: OffboardErrorCode): err is OffboardError {
  return err instanceof OffboardError && (code === undefined || err.code === code);
}
