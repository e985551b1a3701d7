/**
 * The spec's envelope, which every transport answers:
 * `{success:true, data}` or `{success:false, error, status_code, details}`.
 */
export interface ApiErrorBody {
  success: false;
  error: string;
  status_code: number;
  details: Record<string, unknown>;
}

export type ApiResponse<T> = { success: true; data: T } | ApiErrorBody;
